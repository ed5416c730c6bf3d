/**
 * What the Failed Queue screen needs beyond server/outgoing/failed-queue.ts: the count for the
 * navigation badge, and the body a delivery sent, to edit before a retry.
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
