/**
 * What the Failed Queue screen needs beyond server/outgoing/failed-queue.ts: the count for the
 * navigation badge, the body a delivery sent, to edit before a retry, and where deliveries stand
 * after an operator's action (the result message: "Retried 1 delivery: delivered").
 */
import type { Queryable } from "@/server/db/queryable";
import { LogActionError } from "./errors";

export async function countFailedDeliveries(sql: Queryable): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from deliveries where status = 'failed'`;
  return row?.n ?? 0;
}

export interface DeliveryPayload {
  /** The body to start editing from: the last edit, else what the last attempt sent. */
  payload: unknown;
  source: "edited" | "last-attempt" | "not-logged";
  status: string;
}

export async function deliveryPayload(sql: Queryable, deliveryId: string): Promise<DeliveryPayload> {
  const [delivery] = await sql<{ status: string; payload_override: unknown }[]>`
    select status, payload_override from deliveries where id = ${deliveryId}`;
  if (!delivery) throw new LogActionError("NOT_FOUND", `No delivery ${deliveryId}`);
  if (delivery.payload_override !== null) return { payload: delivery.payload_override, source: "edited", status: delivery.status };
  const [attempt] = await sql<{ body: unknown; has_body: boolean }[]>`
    select request->'body' as body, request ? 'body' as has_body from executions
    where delivery_id = ${deliveryId} order by attempts desc, started_at desc limit 1`;
  if (!attempt?.has_body) return { payload: null, source: "not-logged", status: delivery.status };
  return { payload: attempt.body, source: "last-attempt", status: delivery.status };
}

export interface DeliveryOutcome {
  id: string;
  recordId: string;
  /** pending / delivering while a retry is on its way; succeeded, failed or discarded once settled. */
  status: string;
  settled: boolean;
  lastErrorCode: string | null;
  lastHttpStatus: number | null;
}

/** The current state of the given deliveries (unknown ids are left out). */
export async function deliveryOutcomes(sql: Queryable, ids: string[]): Promise<DeliveryOutcome[]> {
  if (ids.length === 0) return [];
  const rows = await sql<{ id: string; record_id: string; status: string; last_error_code: string | null; last_http_status: number | null }[]>`
    select id, record_id, status, last_error_code, last_http_status from deliveries where id = any(${ids}::uuid[])`;
  return rows.map((r) => ({
    id: r.id,
    recordId: r.record_id,
    status: r.status,
    settled: r.status !== "pending" && r.status !== "delivering",
    lastErrorCode: r.last_error_code,
    lastHttpStatus: r.last_http_status,
  }));
}
