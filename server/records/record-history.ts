/**
 * A record's story for its page: where it came from (the incoming execution that created it) and
 * where it went (its outgoing deliveries, with the reference IDs the external systems returned).
 * Reads only; the record store (store.ts) and the outgoing module own the writes.
 */
import type { DeliveryStatus } from "@/server/outgoing/deliver";
import type { StoredRecord } from "./store";
import type { Queryable } from "@/server/db/queryable";

export interface RecordOrigin {
  /** "flow" (an incoming call or a dry run), "api", "seed", "cli"… as stored on the record. */
  kind: string;
  flowSlug: string | null;
  /** The execution that created the record, when it is still in the log (pruning drops old ones). */
  execution: {
    id: string;
    startedAt: Date;
    flowVersion: number | null;
    status: string;
    httpStatus: number | null;
    clientName: string | null;
    requestId: string | null;
  } | null;
  executionId: string | null;
  /** A replay's record: the operator who started the replay (not the original call's API client). */
  actor: { id: string; email: string } | null;
}

export interface RecordDelivery {
  id: string;
  flowSlug: string;
  flowVersion: number;
  trigger: string;
  status: DeliveryStatus;
  attempts: number;
  maxAttempts: number;
  referenceId: string | null;
  lastError: string | null;
  lastHttpStatus: number | null;
  createdAt: Date;
  completedAt: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function recordOrigin(sql: Queryable, record: Pick<StoredRecord, "id">): Promise<RecordOrigin | null> {
  const [row] = await sql<{ origin: Record<string, unknown> | null }[]>`select origin from records where id = ${record.id}`;
  const origin = row?.origin;
  if (!origin) return null;
  const executionId = typeof origin.executionId === "string" && UUID.test(origin.executionId) ? origin.executionId : null;
  const [execution] = executionId
    ? await sql<
        { id: string; started_at: Date; flow_version: number | null; status: string; http_status: number | null; client_name: string | null; request_id: string | null }[]
      >`select id, started_at, flow_version, status, http_status, client_name, request_id from executions where id = ${executionId} limit 1`
    : [];
  return {
    kind: typeof origin.kind === "string" ? origin.kind : "unknown",
    flowSlug: typeof origin.flow === "string" ? origin.flow : null,
    executionId,
    actor: actorOf(origin.actor),
    execution: execution
      ? {
          id: execution.id,
          startedAt: execution.started_at,
          flowVersion: execution.flow_version,
          status: execution.status,
          httpStatus: execution.http_status,
          clientName: execution.client_name,
          requestId: execution.request_id,
        }
      : null,
  };
}

function actorOf(value: unknown): RecordOrigin["actor"] {
  if (!value || typeof value !== "object") return null;
  const { id, email } = value as Record<string, unknown>;
  return typeof id === "string" && typeof email === "string" ? { id, email } : null;
}

/** The record's deliveries, newest first (every flow, every trigger). */
export async function recordDeliveries(sql: Queryable, entity: string, recordId: string, limit = 100): Promise<RecordDelivery[]> {
  const rows = await sql<
    {
      id: string;
      flow_slug: string;
      flow_version: number;
      trigger: string;
      status: DeliveryStatus;
      attempts: number;
      max_attempts: number;
      reference_id: string | null;
      last_error: string | null;
      last_http_status: number | null;
      created_at: Date;
      completed_at: Date | null;
    }[]
  >`
    select id, flow_slug, flow_version, trigger, status, attempts, max_attempts, reference_id, last_error, last_http_status,
           created_at, completed_at
    from deliveries where entity = ${entity} and record_id = ${recordId}
    order by created_at desc, id desc limit ${Math.min(Math.max(limit, 1), 500)}`;
  return rows.map((r) => ({
    id: r.id,
    flowSlug: r.flow_slug,
    flowVersion: r.flow_version,
    trigger: r.trigger,
    status: r.status,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    referenceId: r.reference_id,
    lastError: r.last_error,
    lastHttpStatus: r.last_http_status,
    createdAt: r.created_at,
    completedAt: r.completed_at,
  }));
}

/** How many records each entity holds, for the entity picker. */
export async function countRecordsByEntity(sql: Queryable): Promise<Record<string, number>> {
  const rows = await sql<{ entity: string; n: number }[]>`select entity, count(*)::int as n from records group by entity`;
  return Object.fromEntries(rows.map((r) => [r.entity, r.n]));
}
