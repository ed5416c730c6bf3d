/**
 * The start of an outgoing attempt, in one autocommitted statement: the delivery is marked
 * `delivering` (visible at once, and left so by a worker that dies mid-attempt) and read back with
 * what the attempt needs: its flow version, its record and the configuration stamp that tells
 * whether the cached connection is still current (connection-cache.ts).
 *
 * The claim commits without waiting for its WAL flush (synchronous_commit off for this statement's
 * own transaction only: set_config's `true`). Losing it in a PostgreSQL crash is harmless: the
 * delivery is then still `pending` with the same attempt count, and the re-run job sends again with
 * the same Idempotency-Key, as after a worker crash. What must last, the settle (log row, state,
 * attempt count), commits synchronously, and its flush carries the claim's WAL with it.
 *
 * Claims asked for in the same turn of the event loop (a worker's jobs start side by side) go as
 * one statement (claimDelivery, through batchedStatement): one round trip and one commit for all.
 *
 * Exactly once: two jobs can exist for one delivery (graphile-worker's add_job with a job key,
 * asked while that key's job is locked, adds a second job: a circuit's release or an order wake-up
 * racing the delivery's own job). The claim records the job that claimed (`claimed_by_job`) and
 * takes a delivery another job is sending only when that job no longer holds graphile-worker's
 * lock: it finished, or its worker died and was force-unlocked (server/jobs/runner.ts), or it is
 * the same job run again after a crash. The lock dies with the worker, so crash recovery is as quick
 * as before; no time-based lease. Two asks for one delivery in one statement: only the first wins.
 * A row changed by another transaction while the claim's statement ran is refused (its row version
 * moved): the caller asks again when it is still pending (deliver.ts claimWithRetry).
 */
import type { Sql } from "postgres";
import { batchedStatement } from "@/server/db/unit-of-work";
import type { DeliveryRow } from "./deliver";
import type { CircuitSeen } from "./circuit";
import { CONFIG_STAMP_SQL } from "./connection-cache";

export interface ClaimedDelivery extends DeliveryRow, CircuitSeen {
  /** The connection its flow sends through (null: none, or a delivery from before circuits). */
  connection_name: string | null;
  /** The connection's receiver limits (receiver-limits.ts); null: none. */
  max_in_flight: number | null;
  max_per_second: number | null;
  /** The connection's retry schedule and attempts (dispatch.ts retryPolicyFor); null: the default. */
  retry_schedule_ms: number[] | null;
  retry_max_attempts: number | null;
  /** Order per record (record-order.ts): null when the flow does not ask for it. */
  order_key: string | null;
  order_seq: string | null;
  /** The flow version the delivery recorded (null: it no longer exists). */
  version_id: string | null;
  /** The record, read in the same statement (never for scheduled runs, which send several). */
  record_data: Record<string, unknown> | null;
  record_found: string | null;
  record_status: string | null;
  config_stamp: string;
}

/**
 * Claims `deliveryId` when it is pending (or left `delivering` by a dead worker); undefined when there
 * is nothing to do. firstAttemptOnly: only if no attempt has settled yet (a job of first attempts run
 * again after a crash must not send a delivery whose retry is already scheduled).
 */
export function claimDelivery(sql: Sql, deliveryId: string, options: ClaimOptions = {}): Promise<ClaimedDelivery | undefined> {
  let pair = claimers.get(sql);
  if (!pair) {
    const batcher = (firstAttemptOnly: boolean) =>
      batchedStatement(async (asks: ClaimAsk[]) => {
        const rows = await claimDeliveries(sql, asks, { firstAttemptOnly });
        // Answered by position: of two asks for one delivery, only the one that claimed gets it.
        const byAsk = new Map(rows.map((r) => [r.ask, r]));
        return asks.map((_, i) => ({ ok: true, value: byAsk.get(i + 1) }));
      });
    pair = { any: batcher(false), first: batcher(true) };
    claimers.set(sql, pair);
  }
  return (options.firstAttemptOnly ? pair.first : pair.any)({ id: deliveryId, jobId: options.jobId ?? null });
}

export interface ClaimOptions {
  firstAttemptOnly?: boolean;
  /** The graphile-worker job running the attempt (null: called outside a job, by tests). */
  jobId?: string | null;
}

/** A delivery to claim, and the job asking. */
export interface ClaimAsk {
  id: string;
  jobId: string | null;
}

type Claim = (ask: ClaimAsk) => Promise<ClaimedDelivery | undefined>;
const claimers = new WeakMap<Sql, { any: Claim; first: Claim }>();

/**
 * Claims every delivery asked that is pending, or left `delivering` by a run that no longer holds
 * its job's lock (see the top of this file), in one statement. Each row says which ask (1-based) won it.
 */
export async function claimDeliveries(sql: Sql, asks: ClaimAsk[], options: { firstAttemptOnly?: boolean } = {}): Promise<(ClaimedDelivery & { ask: number })[]> {
  return sql<(ClaimedDelivery & { ask: number })[]>`
    with asked as (
      select distinct on (id) id, job, n from unnest(${asks.map((a) => a.id)}::uuid[], ${asks.map((a) => a.jobId)}::bigint[]) with ordinality as a(id, job, n)
      order by id, n
    ), claimable as (
      -- What this statement's snapshot shows, with each row's version (xmin). The update below takes
      -- a row only if it is still that version: a row another transaction changed meanwhile (a
      -- concurrent claim, say) is refused. Without it, PostgreSQL re-checks only the conditions on
      -- the new row, and the job-lock subquery still reads this statement's snapshot, in which the
      -- job that just claimed the row may not have been locked yet (or not exist): both jobs claimed
      -- the row, and both sent (exactly-once.test.ts, "READ COMMITTED re-check").
      select d.id, d.xmin as version, asked.job, asked.n from deliveries d join asked on d.id = asked.id
      -- Pending or delivering, said as "not final": an IN list could use deliveries_status_idx, which
      -- the planner prefers whenever its statistics still show few pending rows (a burst has just
      -- queued thousands): the claim then walked every pending row. Found by primary key instead.
      where d.status not in ('succeeded', 'failed', 'discarded')
        and (d.attempts = 0 or not ${options.firstAttemptOnly === true}::boolean)
        -- Delivering: only when the run that claimed it is gone (its job unlocked or finished) or is this job.
        and (d.status = 'pending' or d.claimed_by_job is null or d.claimed_by_job = asked.job
             or not exists (select 1 from graphile_worker._private_jobs j where j.id = d.claimed_by_job and j.locked_at is not null))
    ), locked as (
      -- Row locks taken in id order, as every statement that updates several deliveries takes them
      -- (server/db/conflicts.ts): two of them never wait on each other in a cycle. Each row the
      -- update below reaches has passed through here first, whatever join order the planner picks.
      select d.id from deliveries d join claimable c on c.id = d.id order by d.id for no key update of d
    ), claimed as (
      update deliveries d set status = 'delivering', updated_at = now(), claimed_by_job = c.job
      from claimable c join locked l on l.id = c.id
      where d.id = c.id and d.xmin = c.version
      -- What an attempt uses (not the audit trail and timestamps: parsed for nothing on every attempt).
      returning d.id, d.flow_id, d.flow_slug, d.flow_version, d.entity, d.record_id, d.trigger, d.event, d.idempotency_key, d.status, d.attempts,
        d.max_attempts, d.payload_override, d.connection_name, d.order_key, d.order_seq, c.n::int as ask)
    select d.*, v.id as version_id, cc.state as circuit_state, cc.consecutive_failures as circuit_failures,
      cn.max_in_flight, cn.max_per_second, cn.retry_schedule_ms, cn.retry_max_attempts, r.data as record_data, r.record_id as record_found, r.status as record_status,
      ${sql.unsafe(CONFIG_STAMP_SQL)} as config_stamp
    from claimed d
      -- Volatile, so evaluated (once) though its column is not selected; reverts at this commit.
      cross join (select set_config('synchronous_commit', 'off', true)) as async_commit
      left join flow_versions v on v.flow_id = d.flow_id and v.version = d.flow_version
      left join records r on d.trigger <> 'schedule' and r.entity = d.entity and r.record_id = d.record_id
      -- The circuit and the limits: both by primary key or unique name, one row each at most.
      left join connection_circuits cc on cc.connection_name = d.connection_name
      left join connections cn on cn.name = d.connection_name`;
}
