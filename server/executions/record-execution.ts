/**
 * Writes one execution row: the single home of what a log entry holds. The
 * incoming route writes it in the same transaction as the record it stored, so an
 * acknowledged request always has both; failures are logged in their own small
 * transaction after the work rolled back.
 */
import { traceValue } from "@/server/engine/trace";
import { observeExecution } from "@/server/metrics/registry";
import type { Queryable } from "@/server/db/queryable";
import { storableJson } from "@/server/db/storable-text";
import { redactLogged } from "@/server/incoming/redact";
import type { KeyField } from "@/flows/key-fields";
import { searchKeysOf } from "./search-keys";

export type ExecutionStatus = "SUCCESS" | "FAILED" | "DUPLICATE" | "ERROR";

export interface ExecutionEntry {
  id?: string;
  startedAt: Date;
  direction: "incoming" | "outgoing";
  mode?: "live" | "dry" | "replay";
  flowId?: string | null;
  flowSlug?: string | null;
  flowVersion?: number | null;
  requestId?: string | null;
  clientId?: string | null;
  clientName?: string | null;
  connectionName?: string | null;
  status: ExecutionStatus;
  httpStatus?: number | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  recordEntity?: string | null;
  recordId?: string | null;
  referenceId?: string | null;
  durationMs: number;
  request?: unknown;
  response?: unknown;
  trace?: unknown;
  attempts?: number;
  replayOf?: string | null;
  /** Outgoing: the delivery this attempt belongs to. */
  deliveryId?: string | null;
  /** The flow's `options.redactFields`: redacted in request, response and trace with every secret-looking name. */
  redactFields?: readonly string[];
  /** The flow's key fields (flows/key-fields.ts): their values in the request body become the row's search keys. */
  keyFields?: readonly KeyField[];
}

/** Bodies are kept up to this size; larger ones are cut and flagged. */
export const MAX_LOGGED_BODY_BYTES = 256 * 1024;

/**
 * A body as logged: the parsed JSON when small enough, else the first 256 KiB of its text — of
 * the redacted JSON when there is one, since a cut text can no longer be redacted by field
 * (executionRow redacts every parsed value anyway).
 */
export function loggedBody(raw: string, parsed?: unknown, redactFields?: readonly string[]): { body: unknown; bodyTruncated: boolean } {
  if (Buffer.byteLength(raw) <= MAX_LOGGED_BODY_BYTES) return { body: parsed === undefined ? raw : parsed, bodyTruncated: false };
  const text = parsed === undefined ? raw : JSON.stringify(redactLogged(parsed, redactFields));
  return { body: Buffer.from(text).subarray(0, MAX_LOGGED_BODY_BYTES).toString("utf8"), bodyTruncated: true };
}

/**
 * The cap for bodies that did not come through `loggedBody` (an outgoing request, an external
 * system's answer): a body over MAX_LOGGED_BODY_BYTES is kept as a cut preview and flagged, so
 * one chatty receiver cannot fill the log. Bodies already measured (bodyTruncated set) pass as is.
 */
export function capLoggedBody(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value) || !("body" in value) || "bodyTruncated" in value) return value;
  const { body } = value as { body: unknown };
  const traced = traceValue(body, MAX_LOGGED_BODY_BYTES);
  return traced.truncated ? { ...value, body: traced.value, bodyTruncated: true } : value;
}

/**
 * The row travels as one JSON document, expanded by jsonb_populate_record: one parameter instead of
 * 25 (postgres.js's per-parameter binding showed in profiles of the incoming hot path, where every
 * call writes this row). Measured on one connection, 13,200 rows each way: about 60 µs less app CPU
 * per row for 20-25 µs more PostgreSQL execution (a text[] of the scalars cost PostgreSQL nothing
 * extra but saved the app nothing either). The one serialization also makes every text and JSON
 * column storable: NUL and lone surrogates quoted from a caller or an external system become
 * U+FFFD (storableJson) instead of costing us the row. Absent fields are NULL, as before. Cast
 * through text: a parameter PostgreSQL types as jsonb would be serialized again by postgres.js.
 */
export async function recordExecution(sql: Queryable, e: ExecutionEntry): Promise<string> {
  const [inserted] = await sql<{ id: string }[]>`
    insert into executions (${sql.unsafe(EXECUTION_COLUMNS)})
    select ${sql.unsafe(POPULATED_VALUES)}
    from jsonb_populate_record(null::executions, ${storableJson(executionRow(e))}::text::jsonb) as r
    returning id`;
  observeExecution(e);
  return inserted!.id;
}

/**
 * Several rows in one statement (attempts settled together, server/outgoing/settle-attempts.ts):
 * one statement's overhead for all of them. Returns nothing: callers that need an id set it.
 */
export async function recordExecutions(sql: Queryable, entries: ExecutionEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await sql`
    insert into executions (${sql.unsafe(EXECUTION_COLUMNS)})
    select ${sql.unsafe(POPULATED_VALUES)}
    from jsonb_populate_recordset(null::executions, ${storableJson(entries.map(executionRow))}::text::jsonb) as r`;
  for (const e of entries) observeExecution(e);
}

const EXECUTION_COLUMNS = `id, started_at, direction, mode, flow_id, flow_slug, flow_version, request_id, client_id, client_name,
      connection_name, status, http_status, error_code, error_message, record_entity, record_id, reference_id,
      duration_ms, request, response, trace, attempts, replay_of, delivery_id, search_keys, key_values`;

const POPULATED_VALUES = `coalesce(r.id, gen_random_uuid()), r.started_at, r.direction, r.mode, r.flow_id, r.flow_slug, r.flow_version, r.request_id, r.client_id, r.client_name,
      r.connection_name, r.status, r.http_status, r.error_code, r.error_message, r.record_entity, r.record_id, r.reference_id,
      r.duration_ms, r.request, r.response, r.trace, r.attempts, r.replay_of, r.delivery_id, r.search_keys, r.key_values`;

function executionRow(e: ExecutionEntry) {
  // Redacted before the cap: a cut preview could no longer be redacted by field name.
  const request = redactLogged(e.request, e.redactFields);
  const keys = searchKeysOf(bodyOf(request), e.keyFields, e.redactFields);
  return {
    id: e.id,
    started_at: e.startedAt,
    direction: e.direction,
    mode: e.mode ?? "live",
    flow_id: e.flowId,
    flow_slug: e.flowSlug,
    flow_version: e.flowVersion,
    request_id: e.requestId,
    client_id: e.clientId,
    client_name: e.clientName,
    connection_name: e.connectionName,
    status: e.status,
    http_status: e.httpStatus,
    error_code: e.errorCode,
    error_message: e.errorMessage,
    record_entity: e.recordEntity,
    record_id: e.recordId,
    reference_id: e.referenceId,
    duration_ms: e.durationMs,
    request: capLoggedBody(request),
    response: capLoggedBody(redactLogged(e.response, e.redactFields)),
    trace: redactLogged(e.trace, e.redactFields),
    attempts: e.attempts ?? 1,
    replay_of: e.replayOf,
    delivery_id: e.deliveryId,
    search_keys: keys.searchKeys,
    key_values: keys.keyValues,
  };
}

/** The body of a logged request ({ method, path, headers, body }); a cut (string) body has no fields to read. */
function bodyOf(request: unknown): unknown {
  return request !== null && typeof request === "object" && "body" in request ? (request as { body: unknown }).body : undefined;
}
