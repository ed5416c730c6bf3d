/**
 * The Failed Queue (the seed's §4.6): deliveries that failed for good in a flow that keeps them.
 * From here an operator retries them (optionally with an edited body), or discards them with a
 * reason. A retry is the same delivery, so it keeps its Idempotency-Key: an external system that
 * did receive an earlier attempt can recognise the repeat.
 *
 * Every retry and discard is appended to the delivery's `audit` (who and when) in the same
 * statement that changes it, so the trail cannot disagree with the state. `actor` is whoever acted:
 * `cli:<os user>` from the CLI, the signed-in user from the app.
 */
import type { FlowFile } from "@/flows/format";
import type { DeliveryAuditEntry } from "@/server/db/schema/outgoing";
import { FlowError } from "@/server/engine/errors";
import { inTransaction, type Queryable } from "@/server/db/queryable";
import { queueDeliveryJob, retryPolicyFor } from "./dispatch";
import { wakeFollowers } from "./record-order";

export interface FailedDelivery {
  id: string;
  flowSlug: string;
  flowVersion: number;
  entity: string;
  recordId: string;
  trigger: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  lastErrorCode: string | null;
  lastHttpStatus: number | null;
  /** Whether the last failure was of a kind another attempt may fix (it ran out of attempts). */
  retryable: boolean | null;
  /** Why it is here, in words. */
  reason: string;
  /** A retry is allowed for every failed delivery; false only when its flow version is gone. */
  canRetry: boolean;
  hasPayloadOverride: boolean;
  /** Earlier operator actions (a retry that failed again shows here). */
  audit: DeliveryAuditEntry[];
  failedAt: Date | null;
  createdAt: Date;
  /** Its last attempt's log row: the delivery's detail (attempts, request, answer) opens from it. */
  lastExecutionId: string | null;
}

interface Row {
  id: string;
  flow_slug: string;
  flow_version: number;
  entity: string;
  record_id: string;
  trigger: string;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  last_error_code: string | null;
  last_http_status: number | null;
  retryable: boolean | null;
  payload_override: unknown;
  audit: DeliveryAuditEntry[];
  completed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version_exists: boolean;
  last_execution_id: string | null;
}

function reasonOf(r: Row): string {
  const what = r.last_http_status ? `HTTP ${r.last_http_status}` : (r.last_error_code ?? "error");
  if (r.retryable) return `Retries exhausted after ${r.attempts} attempt${r.attempts === 1 ? "" : "s"} (last: ${what})`;
  return `Not retryable: ${what}${r.last_error ? ` — ${r.last_error}` : ""}`;
}

const toFailed = (r: Row): FailedDelivery => ({
  id: r.id,
  flowSlug: r.flow_slug,
  flowVersion: r.flow_version,
  entity: r.entity,
  recordId: r.record_id,
  trigger: r.trigger,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  lastError: r.last_error,
  lastErrorCode: r.last_error_code,
  lastHttpStatus: r.last_http_status,
  retryable: r.retryable,
  reason: reasonOf(r),
  canRetry: r.version_exists,
  hasPayloadOverride: r.payload_override !== null,
  audit: r.audit,
  failedAt: r.completed_at,
  createdAt: r.created_at,
  lastExecutionId: r.last_execution_id,
});

export interface ListFailedOptions {
  limit?: number;
  flowSlug?: string;
  /** Keyset cursor: the last row of the previous page. */
  /** Keyset cursor: the last row of the previous page (its exact timestamp is read in SQL). */
  after?: { id: string; updatedAt?: Date };
}

/** Newest failures first, keyset-paginated (by when they failed). */
export async function listFailed(sql: Queryable, options: ListFailedOptions = {}): Promise<FailedDelivery[]> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const rows = await sql<Row[]>`
    select d.*, exists (select 1 from flow_versions v where v.flow_id = d.flow_id and v.version = d.flow_version) as version_exists,
      (select e.id from executions e where e.delivery_id = d.id order by e.attempts desc, e.started_at desc limit 1) as last_execution_id
    from deliveries d
    where d.status = 'failed'
      ${options.flowSlug ? sql`and d.flow_slug = ${options.flowSlug}` : sql``}
      ${options.after ? sql`and (d.updated_at, d.id) < (select updated_at, id from deliveries where id = ${options.after.id})` : sql``}
    order by d.updated_at desc, d.id desc
    limit ${limit}`;
  return rows.map(toFailed);
}

/** One page of the Failed Queue, newest first; `cursor` is the last delivery of the previous page. */
export async function pageFailed(sql: Queryable, input: { flowSlug?: string; limit: number; cursor?: string | null }): Promise<{ items: FailedDelivery[]; nextCursor: string | null }> {
  const items = await listFailed(sql, { flowSlug: input.flowSlug, limit: input.limit + 1, after: input.cursor ? { id: input.cursor } : undefined });
  const more = items.length > input.limit;
  const page = more ? items.slice(0, input.limit) : items;
  return { items: page, nextCursor: more ? page.at(-1)!.id : null };
}

export interface RetryOptions {
  /** "Edit and retry": the request body to send instead of the mapped one. */
  payloadOverride?: unknown;
}

function requireActor(actor: string): string {
  const who = actor.trim();
  if (!who) throw new FlowError("VALIDATION_FAILED", { message: "Say who is acting (the actor) for the audit trail" });
  return who;
}

type NewAuditEntry = Omit<DeliveryAuditEntry, "at">;

/**
 * Puts failed deliveries back to pending with a fresh allowance of attempts (the flow's policy,
 * counted on from the attempts already made, so attempt numbers in the log keep increasing) and
 * queues their jobs, all in one transaction. Returns the ids actually requeued.
 */
export async function retryDeliveries(sql: Queryable, ids: string[], actor: string, options: RetryOptions = {}): Promise<string[]> {
  const who = requireActor(actor);
  if (ids.length === 0) return [];
  const audit: NewAuditEntry = { action: "retry", actor: who, ...(options.payloadOverride !== undefined ? { payloadEdited: true } : {}) };
  return inTransaction(sql, async (tx) => {
    // The circuits first, then the deliveries: the order a resume takes them in (its circuit row, then
    // the deliveries it releases), so a retry and a resume of one connection never wait on each other.
    await tx`
      select 1 from connection_circuits
      where connection_name in (select connection_name from deliveries where id = any(${ids}::uuid[]) and status = 'failed')
      order by connection_name for update`;
    const rows = await tx<{ id: string; attempts: number; definition: FlowFile | null; retry_schedule_ms: number[] | null; retry_max_attempts: number | null }[]>`
      select d.id, d.attempts, v.definition, c.retry_schedule_ms, c.retry_max_attempts
      from deliveries d left join flow_versions v on v.flow_id = d.flow_id and v.version = d.flow_version
        left join connections c on c.name = d.connection_name
      where d.id = any(${ids}::uuid[]) and d.status = 'failed'
      -- In id order, as every statement that locks several deliveries (server/db/conflicts.ts).
      order by d.id for update of d`;
    for (const row of rows) {
      const connection = { scheduleMs: row.retry_schedule_ms, maxAttempts: row.retry_max_attempts };
      const allowance = row.definition ? retryPolicyFor(row.definition, connection).maxAttempts : 1;
      await tx`
        update deliveries set status = 'pending', max_attempts = ${row.attempts + allowance}, next_attempt_at = null,
          retryable = null, completed_at = null, updated_at = now(), audit = audit || jsonb_build_array(${tx.json(audit as never)}::jsonb || jsonb_build_object('at', now()))
          ${options.payloadOverride !== undefined ? tx`, payload_override = ${tx.json(options.payloadOverride as never)}` : tx``}
        where id = ${row.id}`;
      await queueDeliveryJob(tx, row.id);
    }
    // An operator's retry is a deliberate check of the receiver: an open circuit probes at once
    // instead of holding the retried delivery until its next probe (circuit.ts).
    if (rows.length > 0) {
      await tx`
        update connection_circuits set next_probe_at = now(), updated_at = now()
        where state in ('open', 'half_open') and next_probe_at > now()
          and connection_name in (select connection_name from deliveries where id = any(${rows.map((r) => r.id)}::uuid[]))`;
    }
    return rows.map((r) => r.id);
  });
}

/** Removes deliveries from the Failed Queue (or stops pending ones) for good, with the reason. */
export async function discardDeliveries(sql: Queryable, ids: string[], reason: string, actor: string): Promise<string[]> {
  if (!reason.trim()) throw new FlowError("VALIDATION_FAILED", { message: "Say why these deliveries are discarded" });
  const who = requireActor(actor);
  if (ids.length === 0) return [];
  const audit: NewAuditEntry = { action: "discard", actor: who, reason: reason.trim() };
  // The entry's time is the database's clock, the same one as updated_at and completed_at.
  const rows = await sql<{ id: string }[]>`
    with locked as (
      -- In id order, as every statement that locks several deliveries (server/db/conflicts.ts).
      select id from deliveries where id = any(${ids}::uuid[]) and status in ('failed', 'pending') order by id for no key update
    )
    update deliveries d set status = 'discarded', discard_reason = ${reason.trim()}, next_attempt_at = null,
      completed_at = now(), updated_at = now(),
      audit = d.audit || jsonb_build_array(${sql.json(audit as never)}::jsonb || jsonb_build_object('at', now()))
    from locked l
    where d.id = l.id and d.status in ('failed', 'pending')
    returning d.id`;
  // A discarded pending delivery's queued job finds nothing to do (deliverOnce skips it). Those
  // waiting behind a discarded one in their record's order go now (record-order.ts).
  await wakeFollowers(sql, rows.map((r) => r.id));
  return rows.map((r) => r.id);
}
