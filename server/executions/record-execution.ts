/**
 * Writes one execution row: the single home of what a log entry holds. The
 * incoming route writes it in the same transaction as the record it stored, so an
 * acknowledged request always has both; failures are logged in their own small
 * transaction after the work rolled back.
 */
import { traceValue } from "@/server/engine/trace";
import { observeExecution } from "@/server/metrics/registry";
import type { Queryable } from "@/server/records/store";
import { storableJson, storableText } from "@/server/db/storable-text";

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
}

/** Bodies are kept up to this size; larger ones are cut and flagged. */
export const MAX_LOGGED_BODY_BYTES = 256 * 1024;

/** A body as logged: the parsed JSON when small enough, else the first 256 KiB of its text. */
export function loggedBody(raw: string, parsed?: unknown): { body: unknown; bodyTruncated: boolean } {
  if (Buffer.byteLength(raw) <= MAX_LOGGED_BODY_BYTES) return { body: parsed === undefined ? raw : parsed, bodyTruncated: false };
  return { body: Buffer.from(raw).subarray(0, MAX_LOGGED_BODY_BYTES).toString("utf8"), bodyTruncated: true };
}

// Serialized here rather than by sql.json so NUL and lone surrogates quoted from a caller or an
// external system become U+FFFD instead of costing us the row. Cast through text in the statement
// (`::text::jsonb`): a parameter PostgreSQL types as jsonb would be serialized again by postgres.js.
const jsonText = (value: unknown) => (value === undefined || value === null ? null : storableJson(value));

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

export async function recordExecution(sql: Queryable, e: ExecutionEntry): Promise<string> {
  // One statement text whatever the entry (no fragments: building them cost more than the insert's
  // own parameters on the outgoing hot path), so it is prepared once per connection.
  const [row] = await sql<{ id: string }[]>`
    insert into executions (
      id, started_at, direction, mode, flow_id, flow_slug, flow_version, request_id, client_id, client_name,
      connection_name, status, http_status, error_code, error_message, record_entity, record_id, reference_id,
      duration_ms, request, response, trace, attempts, replay_of, delivery_id)
    values (
      coalesce(${e.id ?? null}::uuid, gen_random_uuid()), ${e.startedAt}, ${e.direction}, ${e.mode ?? "live"}, ${e.flowId ?? null}, ${storableText(e.flowSlug) ?? null},
      ${e.flowVersion ?? null}, ${storableText(e.requestId) ?? null}, ${e.clientId ?? null}, ${storableText(e.clientName) ?? null},
      ${storableText(e.connectionName) ?? null}, ${e.status}, ${e.httpStatus ?? null}, ${storableText(e.errorCode) ?? null}, ${storableText(e.errorMessage) ?? null},
      ${e.recordEntity ?? null}, ${storableText(e.recordId) ?? null}, ${storableText(e.referenceId) ?? null}, ${e.durationMs},
      ${jsonText(capLoggedBody(e.request))}::text::jsonb, ${jsonText(capLoggedBody(e.response))}::text::jsonb, ${jsonText(e.trace)}::text::jsonb,
      ${e.attempts ?? 1}, ${e.replayOf ?? null}, ${e.deliveryId ?? null})
    returning id`;
  observeExecution(e);
  return row!.id;
}
