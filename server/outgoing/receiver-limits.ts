/**
 * Receiver protection: a connection's `max_in_flight` (calls at once) and `max_per_second`, kept
 * by every worker process together through the database, not per process (attempt-slots.ts limits
 * only one process's calls, whatever their receiver).
 *
 * In flight: a lease on one of the connection's numbered slots (`connection_leases`), taken with
 * one insert that only succeeds on a free or expired slot, given back after the call. A worker that
 * dies mid-call leaves its lease until it expires (longer than any attempt may take), so a crash
 * costs a slot for a while, never the limit.
 * Per second: a token bucket row (`connection_rate_limits`) holding one token, refilled at the
 * rate: calls start at least 1/rate s apart, whichever process makes them.
 *
 * Only connections with a limit pay for it (the claim reads both limits with the delivery).
 */
import type { Queryable } from "@/server/db/queryable";

/** Longer than the longest attempt (send timeout ≤ 120 s, plus the flow's own work). */
export const LEASE_MS = 180_000;

export interface ReceiverLimits {
  maxInFlight: number | null;
  maxPerSecond: number | null;
}

export interface Permit {
  release(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Takes a free in-flight slot of `connection`; undefined when all `max` are taken. */
export async function tryLease(sql: Queryable, connection: string, max: number): Promise<number | undefined> {
  const [row] = await sql<{ slot: number }[]>`
    insert into connection_leases as l (connection_name, slot, expires_at)
    select ${connection}, s, clock_timestamp() + make_interval(secs => ${LEASE_MS / 1000})
    from generate_series(0, ${max}::int - 1) s
    where not exists (select 1 from connection_leases x where x.connection_name = ${connection} and x.slot = s and x.expires_at > clock_timestamp())
    order by s limit 1
    -- Two takers of the same free slot: the second finds it taken (not expired) and gets no row.
    on conflict (connection_name, slot) do update set expires_at = excluded.expires_at where l.expires_at <= clock_timestamp()
    returning slot`;
  return row?.slot;
}

export async function releaseLease(sql: Queryable, connection: string, slot: number): Promise<void> {
  await sql`delete from connection_leases where connection_name = ${connection} and slot = ${slot}`;
}

/** Takes the token of `connection`'s bucket (refilled at `perSecond`); false when it is not there yet. */
export async function tryToken(sql: Queryable, connection: string, perSecond: number): Promise<boolean> {
  const rows = await sql`
    insert into connection_rate_limits as r (connection_name, tokens, refilled_at)
    values (${connection}, 0, clock_timestamp())
    on conflict (connection_name) do update
      set tokens = least(1, r.tokens + extract(epoch from clock_timestamp() - r.refilled_at) * ${perSecond}::float8) - 1,
        refilled_at = clock_timestamp()
      where least(1, r.tokens + extract(epoch from clock_timestamp() - r.refilled_at) * ${perSecond}::float8) >= 1
    returning 1`;
  return rows.length > 0;
}

/**
 * Waits until a call through `connection` may start under its limits, then holds an in-flight slot
 * (if limited) until release(). Polls the database with jitter while waiting: a short wait for the
 * rate, a slot freed by another process for the in-flight limit.
 */
export async function acquirePermit(sql: Queryable, connection: string, limits: ReceiverLimits, random: () => number = Math.random): Promise<Permit> {
  let slot: number | undefined;
  if (limits.maxInFlight !== null) {
    while ((slot = await tryLease(sql, connection, limits.maxInFlight)) === undefined) await sleep(20 + random() * 60);
  }
  try {
    if (limits.maxPerSecond !== null) {
      const spacing = 1000 / limits.maxPerSecond;
      while (!(await tryToken(sql, connection, limits.maxPerSecond))) await sleep(Math.min(spacing, 200) * (0.5 + random()));
    }
  } catch (error) {
    if (slot !== undefined) await releaseLease(sql, connection, slot).catch(() => undefined);
    throw error;
  }
  return { release: () => (slot === undefined ? Promise.resolve() : releaseLease(sql, connection, slot)) };
}
