/**
 * A circuit per connection, its state in `connection_circuits` so that every worker process shares
 * it. Without one, each delivery to a receiver that is down retries on its own schedule and the
 * receiver is hammered by all of them; with one:
 *
 *   closed ──(FLOWPORT_CIRCUIT_FAILURES consecutive retryable failures)──▶ open
 *   open ──(next_probe_at passed: one attempt claims the probe)──▶ half_open
 *   half_open ──(the probe fails)──▶ open, next probe FLOWPORT_CIRCUIT_PROBE_MS later
 *   half_open / open ──(any success)──▶ closed, and the waiting deliveries are released, paced
 *   any ──(429 with Retry-After)──▶ paused until then; any ──(operator)──▶ paused until resumed
 *
 * Retryable failures are what the send node calls retryable: network errors, timeouts, 408, 429, 5xx.
 * While open, half-open or paused, an attempt that is not the probe is held (deliver.ts): put back
 * to pending without spending an attempt, its job moved to when the circuit may let it through.
 * A failed probe spends no attempt either, so a lone delivery survives an outage of any length.
 *
 * The hot path pays nothing while all is well: the claim reads the circuit row (a left join by
 * primary key) and only a failure, or a success after failures, writes it.
 */
import type { Sql } from "postgres";
import { env } from "@/server/env";
import { retryOnConflict } from "@/server/db/conflicts";
import type { Queryable } from "@/server/db/queryable";
import { DELIVER_JOB_MAX_ATTEMPTS, DELIVER_TASK } from "./dispatch";

export const CIRCUIT_STATES = ["closed", "open", "half_open", "paused"] as const;
export type CircuitState = (typeof CIRCUIT_STATES)[number];

export interface CircuitSettings {
  failures: number;
  probeMs: number;
  releasePerSecond: number;
}

export function circuitSettings(): CircuitSettings {
  const e = env();
  return { failures: e.FLOWPORT_CIRCUIT_FAILURES, probeMs: e.FLOWPORT_CIRCUIT_PROBE_MS, releasePerSecond: e.FLOWPORT_CIRCUIT_RELEASE_PER_SECOND };
}

/** What the claim read of the circuit (null state: no row, closed and never failed). */
export interface CircuitSeen {
  circuit_state: CircuitState | null;
  circuit_failures: number | null;
}

/** Whether the claim's view of the circuit means the attempt must ask the gate first. */
export const mustAskGate = (seen: CircuitSeen) => seen.circuit_state !== null && seen.circuit_state !== "closed";

export type GateAnswer = { pass: true; probe: boolean } | { pass: false; until: Date };

/**
 * May an attempt through `connection` go now? Open (or half-open) with its probe time passed: this
 * attempt becomes the probe (one winner across all workers: the row's update). A paused circuit
 * whose pause ended lets everything through. Otherwise: held until the next probe or the pause's end.
 */
export async function passCircuit(sql: Queryable, connection: string, settings = circuitSettings()): Promise<GateAnswer> {
  const [probe] = await sql<{ next_probe_at: Date }[]>`
    update connection_circuits set state = 'half_open', next_probe_at = clock_timestamp() + make_interval(secs => ${settings.probeMs / 1000}), updated_at = now()
    where connection_name = ${connection} and state in ('open', 'half_open') and next_probe_at <= clock_timestamp()
    returning next_probe_at`;
  if (probe) return { pass: true, probe: true };
  const [row] = await sql<{ state: CircuitState; next_probe_at: Date | null; paused_until: Date | null; now: Date }[]>`
    select state, next_probe_at, paused_until, clock_timestamp() as now from connection_circuits where connection_name = ${connection}`;
  if (!row || row.state === "closed") return { pass: true, probe: false };
  if (row.state === "paused") {
    if (row.paused_until !== null && row.paused_until <= row.now) return { pass: true, probe: false };
    return { pass: false, until: row.paused_until ?? new Date(row.now.getTime() + settings.probeMs) };
  }
  return { pass: false, until: row.next_probe_at ?? new Date(row.now.getTime() + settings.probeMs) };
}

export interface Transition {
  from: CircuitState;
  to: CircuitState;
}

/**
 * A retryable failure through `connection` (retryAfterMs: a 429's Retry-After). Counts it; opens
 * the circuit at the threshold or when it was the probe that failed; a 429 with Retry-After pauses
 * the connection for that long (an operator's pause stays as it is). Returns the state change, if any.
 */
export async function recordFailure(sql: Queryable, connection: string, failure: { retryAfterMs?: number } = {}, settings = circuitSettings()): Promise<Transition | undefined> {
  const probe = `${settings.probeMs / 1000}`;
  const pauseSecs = failure.retryAfterMs === undefined ? null : failure.retryAfterMs / 1000;
  const [row] = await sql<{ from: CircuitState | null; to: CircuitState }[]>`
    -- The state before (the statement's snapshot: a row this statement locks would read as gone).
    with old as (select state from connection_circuits where connection_name = ${connection}),
    upsert as (
      insert into connection_circuits as c (connection_name, state, consecutive_failures, since, next_probe_at, paused_until, paused_by)
      values (${connection},
        case when ${pauseSecs}::float8 is not null then 'paused' when 1 >= ${settings.failures}::int then 'open' else 'closed' end,
        1, now(),
        case when 1 >= ${settings.failures}::int then clock_timestamp() + make_interval(secs => ${probe}::float8) end,
        clock_timestamp() + make_interval(secs => ${pauseSecs}::float8),
        case when ${pauseSecs}::float8 is not null then 'receiver' end)
      on conflict (connection_name) do update set
        consecutive_failures = c.consecutive_failures + 1,
        state = case
          when c.state = 'paused' and c.paused_by is distinct from 'receiver' then 'paused'
          when ${pauseSecs}::float8 is not null then 'paused'
          when c.state in ('open', 'half_open') then 'open'
          when c.consecutive_failures + 1 >= ${settings.failures}::int then 'open'
          else 'closed' end,
        next_probe_at = case
          when c.state = 'paused' and c.paused_by is distinct from 'receiver' then c.next_probe_at
          when c.state = 'half_open' or (c.state in ('closed', 'paused') and c.consecutive_failures + 1 >= ${settings.failures}::int)
            then clock_timestamp() + make_interval(secs => ${probe}::float8)
          else c.next_probe_at end,
        paused_until = case
          when c.state = 'paused' and c.paused_by is distinct from 'receiver' then c.paused_until
          when ${pauseSecs}::float8 is not null then greatest(c.paused_until, clock_timestamp() + make_interval(secs => ${pauseSecs}::float8))
          else c.paused_until end,
        paused_by = case when c.state = 'paused' and c.paused_by is distinct from 'receiver' then c.paused_by
          when ${pauseSecs}::float8 is not null then 'receiver' else c.paused_by end,
        updated_at = now()
      returning c.state)
    select (select state from old) as from, state as to from upsert`;
  const from = row!.from ?? "closed";
  // half_open → open again is a failed probe: the circuit stays open, no new alert.
  if (from === row!.to || (from === "half_open" && row!.to === "open")) return undefined;
  await sql`update connection_circuits set since = now() where connection_name = ${connection}`;
  return { from, to: row!.to };
}

/**
 * An answer from the receiver that is not a retryable failure (a success, or a 4xx it means): the
 * receiver is alive. Resets the count; closes an open, half-open or receiver-paused circuit and
 * releases what it held. An operator's pause stays.
 */
export async function recordAlive(sql: Queryable, connection: string, settings = circuitSettings()): Promise<Transition | undefined> {
  const [row] = await sql<{ from: CircuitState; to: CircuitState }[]>`
    with old as (select state from connection_circuits where connection_name = ${connection} for update)
    update connection_circuits c set consecutive_failures = 0,
      state = case when c.state = 'paused' and c.paused_by is distinct from 'receiver' then 'paused' else 'closed' end,
      since = case when c.state in ('open', 'half_open') or (c.state = 'paused' and c.paused_by = 'receiver') then now() else c.since end,
      next_probe_at = null,
      paused_until = case when c.state = 'paused' and c.paused_by is distinct from 'receiver' then c.paused_until end,
      paused_by = case when c.state = 'paused' and c.paused_by is distinct from 'receiver' then c.paused_by end,
      alerted_state = null,
      updated_at = now()
    from old
    where c.connection_name = ${connection} and (c.consecutive_failures > 0 or c.state <> 'closed')
    returning old.state as from, c.state as to`;
  if (!row || row.from === row.to) return undefined;
  // The close has committed: a release lost to a deadlock runs again rather than leave the held
  // deliveries to their own timers (no later close would release them).
  await retryOnConflict(() => releaseWaiting(sql, connection, settings));
  return { from: row.from, to: row.to };
}

/**
 * After a failed probe: whether the circuit has now been open longer than `afterMs` and no alert said
 * so yet (marked in the same statement, so one worker raises it, once per opening).
 */
export async function markStillOpen(sql: Queryable, connection: string, afterMs: number): Promise<Date | undefined> {
  const [row] = await sql<{ since: Date }[]>`
    update connection_circuits set alerted_state = 'still_open'
    where connection_name = ${connection} and state in ('open', 'half_open') and since <= now() - make_interval(secs => ${afterMs / 1000})
      and alerted_state is distinct from 'still_open'
    returning since`;
  return row?.since;
}

/**
 * The circuit closed: the deliveries it held, and those waiting for a retry the outage caused, go
 * now, `releasePerSecond` at a time in the order they were created (the receiver that just came
 * back is not flooded). Each one's job is moved (job key: one job per delivery).
 */
export async function releaseWaiting(sql: Queryable, connection: string, settings = circuitSettings()): Promise<number> {
  const rows = await sql<{ id: string }[]>`
    with waiting as (
      select id, (row_number() over (order by created_at, id) - 1) as n from deliveries
      where connection_name = ${connection} and status = 'pending' and (held_since is not null or attempts > 0)
    ), locked as (
      -- Row locks in id order, as every statement that updates several deliveries takes them
      -- (server/db/conflicts.ts): a release never waits in a cycle with claims and settles.
      select d.id from deliveries d join waiting w on w.id = d.id order by d.id for no key update of d
    ), released as (
      update deliveries d set held_since = null, updated_at = now(),
        next_attempt_at = statement_timestamp() + make_interval(secs => w.n::float8 / ${settings.releasePerSecond}::float8)
      from waiting w join locked l on l.id = w.id where d.id = w.id and d.status = 'pending'
      returning d.id, d.next_attempt_at)
    select r.id, graphile_worker.add_job(${DELIVER_TASK}, json_build_object('deliveryId', r.id::text),
      run_at => r.next_attempt_at, max_attempts => ${DELIVER_JOB_MAX_ATTEMPTS}::int, job_key => 'delivery:' || r.id::text) as job
    from released r`;
  return rows.length;
}

/**
 * Puts a claimed delivery back without spending an attempt: pending, held since now (or earlier),
 * its next run when the circuit may let it through (with up to a second of jitter, so the held
 * deliveries of a connection do not all wake in the same instant).
 */
export async function holdDelivery(sql: Queryable, deliveryId: string, until: Date, random: () => number = Math.random): Promise<Date> {
  const runAt = new Date(until.getTime() + Math.round(random() * 1000));
  await sql`
    with held as (
      update deliveries set status = 'pending', held_since = coalesce(held_since, now()), next_attempt_at = ${runAt}, updated_at = now()
      where id = ${deliveryId} and status = 'delivering' returning id)
    select graphile_worker.add_job(${DELIVER_TASK}, json_build_object('deliveryId', id::text),
      run_at => ${runAt}::timestamptz, max_attempts => ${DELIVER_JOB_MAX_ATTEMPTS}::int, job_key => 'delivery:' || id::text)
    from held`;
  return runAt;
}

export interface CircuitView {
  connection: string;
  state: CircuitState;
  since: Date | null;
  consecutiveFailures: number;
  nextProbeAt: Date | null;
  pausedUntil: Date | null;
  pausedBy: string | null;
  /** Deliveries the circuit holds now. */
  held: number;
}

/** Every connection's circuit (closed with no failures when it has no row), by connection name. */
export async function listCircuits(sql: Sql | Queryable): Promise<CircuitView[]> {
  const rows = await sql<
    { name: string; state: CircuitState | null; since: Date | null; consecutive_failures: number | null; next_probe_at: Date | null; paused_until: Date | null; paused_by: string | null; held: number }[]
  >`
    select c.name, k.state, k.since, k.consecutive_failures, k.next_probe_at, k.paused_until, k.paused_by,
      -- held_since implies the partial index's condition: it answers this count.
      (select count(*)::int from deliveries d where d.connection_name = c.name and d.status = 'pending'
         and (d.held_since is not null or d.attempts > 0) and d.held_since is not null) as held
    from connections c left join connection_circuits k on k.connection_name = c.name
    order by c.name`;
  return rows.map((r) => ({
    connection: r.name,
    state: r.state ?? "closed",
    since: r.since,
    consecutiveFailures: r.consecutive_failures ?? 0,
    nextProbeAt: r.next_probe_at,
    pausedUntil: r.paused_until,
    pausedBy: r.paused_by,
    held: r.held,
  }));
}

export interface HeldDelivery {
  id: string;
  flowSlug: string;
  entity: string;
  recordId: string;
  attempts: number;
  heldSince: Date | null;
  nextAttemptAt: Date | null;
  /** Order per record: the earlier delivery of its record it waits behind (record-order.ts). */
  waitingFor: string | null;
}

/** The deliveries a connection's circuit holds, and those waiting behind an earlier one of their record, oldest first (at most `limit`). */
export async function listHeldDeliveries(sql: Queryable, connection: string, limit = 50): Promise<HeldDelivery[]> {
  const rows = await sql<
    { id: string; flow_slug: string; entity: string; record_id: string; attempts: number; held_since: Date | null; next_attempt_at: Date | null; waiting_for: string | null }[]
  >`
    (select id, flow_slug, entity, record_id, attempts, held_since, next_attempt_at, waiting_for, created_at from deliveries
     where connection_name = ${connection} and status = 'pending' and (held_since is not null or attempts > 0) and held_since is not null)
    union
    (select id, flow_slug, entity, record_id, attempts, held_since, next_attempt_at, waiting_for, created_at from deliveries
     where waiting_for is not null and connection_name = ${connection} and status = 'pending')
    order by created_at limit ${limit}`;
  return rows.map((r) => ({
    id: r.id,
    flowSlug: r.flow_slug,
    entity: r.entity,
    recordId: r.record_id,
    attempts: r.attempts,
    heldSince: r.held_since,
    nextAttemptAt: r.next_attempt_at,
    waitingFor: r.waiting_for,
  }));
}
