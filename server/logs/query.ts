/**
 * Reading the execution log: a page of the Incoming or Outgoing Logs (newest first, keyset
 * paginated so page 1,000 costs what page 1 costs) and one execution in
 * full for the detail drawer (with its delivery's attempts when it is outgoing).
 */
import { expandTrace, type LoggedTraceEntry } from "@/server/executions/compact-trace";
import { nodeNamesOf, traceNodesColumn, type TraceNodesRow } from "@/server/executions/trace-nodes";
import type { TraceEntry } from "@/server/engine/trace";
import { AppError } from "@/server/errors/app-error";
import type { Queryable } from "@/server/db/queryable";
import type { KeyValue } from "@/server/executions/search-keys";
import { logFilterSql, type LogFilter } from "./filter";

export interface ExecutionSummary {
  id: string;
  startedAt: Date;
  direction: "incoming" | "outgoing";
  mode: "live" | "dry" | "replay";
  flowSlug: string | null;
  flowVersion: number | null;
  requestId: string | null;
  clientName: string | null;
  connectionName: string | null;
  status: string;
  httpStatus: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  recordEntity: string | null;
  recordId: string | null;
  referenceId: string | null;
  durationMs: number | null;
  attempts: number;
  deliveryId: string | null;
  replayOf: string | null;
  /** The flow's key fields as the request sent them (GST_No, Vendor_Name…); null when none were logged. */
  keyValues: KeyValue[] | null;
}

export interface ExecutionPage {
  items: ExecutionSummary[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

interface SummaryRow {
  id: string;
  started_at: Date;
  started_at_exact: string;
  direction: "incoming" | "outgoing";
  mode: "live" | "dry" | "replay";
  flow_slug: string | null;
  flow_version: number | null;
  request_id: string | null;
  client_name: string | null;
  connection_name: string | null;
  status: string;
  http_status: number | null;
  error_code: string | null;
  error_message: string | null;
  record_entity: string | null;
  record_id: string | null;
  reference_id: string | null;
  duration_ms: number | null;
  attempts: number;
  delivery_id: string | null;
  replay_of: string | null;
  key_values: KeyValue[] | null;
}

const toSummary = (r: SummaryRow): ExecutionSummary => ({
  id: r.id,
  startedAt: r.started_at,
  direction: r.direction,
  mode: r.mode,
  flowSlug: r.flow_slug,
  flowVersion: r.flow_version,
  requestId: r.request_id,
  clientName: r.client_name,
  connectionName: r.connection_name,
  status: r.status,
  httpStatus: r.http_status,
  errorCode: r.error_code,
  errorMessage: r.error_message,
  recordEntity: r.record_entity,
  recordId: r.record_id,
  referenceId: r.reference_id,
  durationMs: r.duration_ms,
  attempts: r.attempts,
  deliveryId: r.delivery_id,
  replayOf: r.replay_of,
  keyValues: r.key_values,
});

// The summary columns: never the request, response or trace (they can be large).
const SUMMARY_COLUMNS = `id, started_at, started_at::text as started_at_exact, direction, mode, flow_slug, flow_version, request_id,
  client_name, connection_name, status, http_status, error_code, error_message, record_entity, record_id, reference_id,
  duration_ms, attempts, delivery_id, replay_of, key_values`;

/** INVALID_CURSOR in the error table (flows/app-errors.ts). */
export class InvalidCursorError extends AppError {
  constructor() {
    super("INVALID_CURSOR");
    this.name = "InvalidCursorError";
  }
}

/**
 * The cursor carries the row's exact timestamp as PostgreSQL printed it (microseconds: a JS Date
 * would round them off and skip or repeat rows) and its id, the tie-breaker.
 */
export function encodeCursor(startedAtExact: string, id: string): string {
  return Buffer.from(JSON.stringify([startedAtExact, id])).toString("base64url");
}

export function decodeCursor(cursor: string): { startedAt: string; id: string } {
  try {
    const [startedAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof startedAt !== "string" || typeof id !== "string") throw new Error("shape");
    if (!/^\d{4}-\d\d-\d\d[ T][\d:.]+([+-]\d\d(:?\d\d)?|Z)?$/.test(startedAt) || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error("values");
    return { startedAt, id };
  } catch {
    throw new InvalidCursorError();
  }
}

export const MAX_PAGE_SIZE = 200;

/** The page's SQL, unawaited: tests run it under EXPLAIN ANALYZE to prove it stays on the indexes. */
export function pageQuery(sql: Queryable, filter: LogFilter, limit: number, cursor?: string | null) {
  const after = cursor ? decodeCursor(cursor) : undefined;
  return sql<SummaryRow[]>`
    select ${sql.unsafe(SUMMARY_COLUMNS)}
    from executions
    where ${logFilterSql(sql, filter)}
      ${after ? sql`and (started_at, id) < (${after.startedAt}::timestamptz, ${after.id}::uuid)` : sql``}
    order by started_at desc, id desc
    limit ${limit + 1}`;
}

export async function listExecutions(sql: Queryable, filter: LogFilter, options: { limit?: number; cursor?: string | null } = {}): Promise<ExecutionPage> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), MAX_PAGE_SIZE);
  const rows = await pageQuery(sql, filter, limit, options.cursor);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return { items: page.map(toSummary), nextCursor: more && last ? encodeCursor(last.started_at_exact, last.id) : null };
}

export interface DeliveryAttempt {
  executionId: string;
  attempt: number;
  startedAt: Date;
  status: string;
  httpStatus: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  durationMs: number | null;
  referenceId: string | null;
}

export interface DeliveryState {
  id: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  referenceId: string | null;
  nextAttemptAt: Date | null;
  hasPayloadOverride: boolean;
  discardReason: string | null;
}

export interface ExecutionDetail extends ExecutionSummary {
  request: unknown;
  response: unknown;
  /** The per-node trace, expanded from its compact logged form; empty when payloads are not logged. */
  trace: TraceEntry[];
  /** Outgoing: every attempt of this execution's delivery, oldest first, and the delivery's state. */
  attemptsOfDelivery: DeliveryAttempt[];
  delivery: DeliveryState | null;
  /** Replays made of this execution, newest first. */
  replays: { id: string; startedAt: Date; mode: string; status: string; httpStatus: number | null }[];
}

export async function getExecution(sql: Queryable, id: string): Promise<ExecutionDetail | undefined> {
  const [row] = await sql<(SummaryRow & { request: unknown; response: unknown; trace: LoggedTraceEntry[] | null; trace_nodes: TraceNodesRow })[]>`
    select ${sql.unsafe(SUMMARY_COLUMNS)}, request, response, trace, ${traceNodesColumn(sql)}
    from executions where id = ${id}::uuid limit 1`;
  if (!row) return undefined;
  const attempts = row.delivery_id
    ? await sql<{ id: string; attempts: number; started_at: Date; status: string; http_status: number | null; error_code: string | null; error_message: string | null; duration_ms: number | null; reference_id: string | null }[]>`
        select id, attempts, started_at, status, http_status, error_code, error_message, duration_ms, reference_id
        from executions where delivery_id = ${row.delivery_id} order by attempts, started_at`
    : [];
  const [delivery] = row.delivery_id
    ? await sql<{ id: string; status: string; attempts: number; max_attempts: number; reference_id: string | null; next_attempt_at: Date | null; has_override: boolean; discard_reason: string | null }[]>`
        select id, status, attempts, max_attempts, reference_id, next_attempt_at, payload_override is not null as has_override, discard_reason
        from deliveries where id = ${row.delivery_id}`
    : [];
  const replays = await sql<{ id: string; started_at: Date; mode: string; status: string; http_status: number | null }[]>`
    select id, started_at, mode, status, http_status from executions
    where replay_of = ${id}::uuid and started_at >= ${row.started_at} order by started_at desc limit 20`;
  return {
    ...toSummary(row),
    request: row.request,
    response: row.response,
    trace: Array.isArray(row.trace) ? expandTrace(row.trace, { nodes: nodeNamesOf(row.trace_nodes), request: row.request }) : [],
    attemptsOfDelivery: attempts.map((a) => ({
      executionId: a.id,
      attempt: a.attempts,
      startedAt: a.started_at,
      status: a.status,
      httpStatus: a.http_status,
      errorCode: a.error_code,
      errorMessage: a.error_message,
      durationMs: a.duration_ms,
      referenceId: a.reference_id,
    })),
    delivery: delivery
      ? {
          id: delivery.id,
          status: delivery.status,
          attempts: delivery.attempts,
          maxAttempts: delivery.max_attempts,
          referenceId: delivery.reference_id,
          nextAttemptAt: delivery.next_attempt_at,
          hasPayloadOverride: delivery.has_override,
          discardReason: delivery.discard_reason,
        }
      : null,
    replays: replays.map((r) => ({ id: r.id, startedAt: r.started_at, mode: r.mode, status: r.status, httpStatus: r.http_status })),
  };
}
