/**
 * The end of an outgoing attempt: its log row, the delivery's new state and attempt count, the
 * flow's deferred patch of the record and the record's reference per flow, and the next attempt's
 * job, all in one transaction so the log and the counter agree. Attempts that finish in the same
 * turn of the event loop settle together (settleWithOthers): one statement per kind of write for
 * all of them, one commit. The settlement is data, so one settle and many use the same statements.
 */
import type { ReservedSql, Sql } from "postgres";
import { retryOnConflict } from "@/server/db/conflicts";
import { storableJson } from "@/server/db/storable-text";
import { batchedStatement, deferredUnit, eachAlone } from "@/server/db/unit-of-work";
import { recordExecutions, type ExecutionEntry } from "@/server/executions/record-execution";
import { patchRecordData } from "@/server/records/store";
import type { DeliveryStatus } from "./deliver";
import { queueDeliveryJob } from "./dispatch";

/**
 * A record patch the flow asked for (the send node's reference field) that waits for the settle:
 * nothing in the flow reads it back before the attempt ends (deliver.ts routes later reads into a
 * transaction that applies it first), so it rides with the settle instead of opening a transaction
 * of its own: one round trip and a statement less per delivery. It commits with the log row and
 * the delivery's new state; a failed or superseded attempt leaves the record untouched.
 */
export interface DeferredPatch {
  entity: string;
  recordId: string;
  data: Record<string, unknown>;
  /** The reference kept per outgoing flow (records.external_refs), as patchRecordData keeps it. */
  flowSlug?: string;
  referenceId?: string;
}

export interface Settlement {
  entry: ExecutionEntry;
  deliveryId: string;
  /** The attempt count the claim read: the guard against a second run settling the same attempt. */
  claimedAttempts: number;
  attempt: number;
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  errorMessage: string | null;
  errorCode: string | null;
  httpStatus: number | null;
  retryable: boolean | null;
  referenceId: string | null;
  discardReason: string | null;
  completedAt: Date | null;
  /** A failed circuit probe: still held by the circuit (circuit.ts), its attempt not spent. */
  held: boolean;
  /** The flow's patch of the delivery's own record ({} when none). */
  recordPatch: Record<string, unknown>;
  /** The reference to keep per flow on the delivery's record (null: none). */
  externalRef: string | null;
  /** Patches of other records (no node writes one today): applied as the flow asked. */
  otherPatches: DeferredPatch[];
}

/**
 * Issues every statement of `settlements` on `tx` side by side (postgres.js sends them in one socket
 * write; DeferredUnit.commit sends COMMIT once they answered). A second run of a delivery settles nothing:
 * its row is no longer as claimed, attempts becomes null, which its NOT NULL refuses, aborting the
 * whole transaction (an error rather than a condition: the statements beside it are already sent).
 */
export function settleAttempts(tx: ReservedSql, settlements: Settlement[]): Promise<unknown> {
  const rows = settlements.map((s) => ({
    id: s.deliveryId,
    status: s.status,
    claimed: s.claimedAttempts,
    attempt: s.attempt,
    next_attempt_at: s.nextAttemptAt,
    last_error: s.errorMessage,
    last_error_code: s.errorCode,
    last_http_status: s.httpStatus,
    retryable: s.retryable,
    reference_id: s.referenceId,
    discard_reason: s.discardReason,
    completed_at: s.completedAt,
    held: s.held,
    patch: s.recordPatch,
    external_ref: s.externalRef,
  }));
  return Promise.all([
    recordExecutions(
      tx,
      settlements.map((s) => s.entry),
    ),
    tx`
      with s as (
        select * from jsonb_to_recordset(${storableJson(rows)}::text::jsonb) as s(id uuid, status text, claimed int, attempt int,
          next_attempt_at timestamptz, last_error text, last_error_code text, last_http_status int, retryable boolean,
          reference_id text, discard_reason text, completed_at timestamptz, held boolean, patch jsonb, external_ref text)
        -- The row count for the planner (it assumes 100 rows from a function): few rows, so index
        -- lookups into deliveries and records, not a scan of either.
        limit ${rows.length}
      ), locked as (
        -- Row locks in id order, as every statement that updates several deliveries takes them
        -- (server/db/conflicts.ts): settles, claims and releases never wait on each other in a cycle.
        select d.id from deliveries d where d.id in (select id from s) order by d.id for no key update
      ), settled as (
        update deliveries d set
          status = s.status, updated_at = now(),
          attempts = case when d.status = 'delivering' and d.attempts = s.claimed then s.attempt end,
          next_attempt_at = s.next_attempt_at,
          last_error = s.last_error, last_error_code = s.last_error_code, last_http_status = s.last_http_status,
          retryable = s.retryable,
          reference_id = coalesce(s.reference_id, d.reference_id),
          discard_reason = s.discard_reason,
          completed_at = s.completed_at,
          held_since = case when s.held then coalesce(d.held_since, now()) end
        from s join locked l on l.id = s.id where d.id = s.id
        returning d.entity, d.record_id, d.flow_slug, s.patch, s.external_ref
      ), per_record as (
        -- Several deliveries of one record may settle together: one update of the record for all.
        select entity, record_id,
          coalesce((select jsonb_object_agg(p.key, p.value) from settled x, jsonb_each(x.patch) p
                    where x.entity = settled.entity and x.record_id = settled.record_id), '{}'::jsonb) as patch,
          coalesce(jsonb_object_agg(flow_slug, external_ref) filter (where external_ref is not null), '{}'::jsonb) as refs
        from settled group by entity, record_id
      ), changing as (
        -- The records that change, locked in key order too (another settle may change the same ones).
        select r.entity, r.record_id, pr.patch, pr.refs from records r join per_record pr on r.entity = pr.entity and r.record_id = pr.record_id
        where pr.patch <> '{}'::jsonb or exists (select 1 from jsonb_each_text(pr.refs) x where r.external_refs ->> x.key is distinct from x.value)
        order by r.entity, r.record_id for no key update of r
      )
      -- The flow's patch (its reference field) and the record's reference per flow (setExternalRef).
      update records r set data = r.data || c.patch, external_refs = r.external_refs || c.refs, updated_at = now()
      from changing c
      where r.entity = c.entity and r.record_id = c.record_id`,
    ...settlements.flatMap((s) =>
      s.otherPatches.map((p) => patchRecordData(tx, p.entity, p.recordId, p.data, p.referenceId !== undefined ? { flowSlug: p.flowSlug!, referenceId: p.referenceId } : undefined)),
    ),
    ...settlements.filter((s) => s.nextAttemptAt !== null).map((s) => queueDeliveryJob(tx, s.deliveryId, s.nextAttemptAt)),
  ]);
}

const settlers = new WeakMap<Sql, (settlement: Settlement) => Promise<void>>();

/**
 * Commits `settlement` together with those of the attempts that finished in the same turn of the
 * event loop: one transaction, one socket write and one WAL flush for all of them. When the shared
 * transaction fails (one run superseded, say, which aborts it on purpose), each is settled again
 * in a transaction of its own, so only the one that failed fails.
 */
export function settleWithOthers(sql: Sql, settlement: Settlement): Promise<void> {
  let settleOne = settlers.get(sql);
  if (!settleOne) {
    const commit = async (settlements: Settlement[]) => {
      const tx = deferredUnit(sql);
      try {
        await tx.commit((t) => settleAttempts(t, settlements));
      } finally {
        await tx.release();
      }
    };
    settleOne = batchedStatement<Settlement, void>(async (settlements) => {
      // The same delivery twice (two runs at once) must meet its guard statement by statement.
      const distinct = new Set(settlements.map((s) => s.deliveryId)).size === settlements.length;
      if (settlements.length > 1 && distinct) {
        try {
          await commit(settlements);
          return settlements.map(() => ({ ok: true, value: undefined }));
        } catch {
          // Below: each alone.
        }
      }
      // Alone, a settle that lost a deadlock commits again: its receiver has already answered, and
      // a failed job would send again (server/db/conflicts.ts).
      return eachAlone(settlements, (one) => retryOnConflict(() => commit([one])));
    });
    settlers.set(sql, settleOne);
  }
  return settleOne(settlement);
}
