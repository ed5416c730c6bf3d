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
export function claimDelivery(sql: Sql, deliveryId: string, options: { firstAttemptOnly?: boolean } = {}): Promise<ClaimedDelivery | undefined> {
  let pair = claimers.get(sql);
  if (!pair) {
    const batcher = (firstAttemptOnly: boolean) =>
      batchedStatement(async (ids: string[]) => {
        const rows = await claimDeliveries(sql, ids, { firstAttemptOnly });
        const byId = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => ({ ok: true, value: byId.get(id) }));
      });
    pair = { any: batcher(false), first: batcher(true) };
    claimers.set(sql, pair);
  }
  return (options.firstAttemptOnly ? pair.first : pair.any)(deliveryId);
}

type Claim = (id: string) => Promise<ClaimedDelivery | undefined>;
const claimers = new WeakMap<Sql, { any: Claim; first: Claim }>();

/** Claims every delivery of `ids` that is pending (or left `delivering`), in one statement. */
export async function claimDeliveries(sql: Sql, ids: string[], options: { firstAttemptOnly?: boolean } = {}): Promise<ClaimedDelivery[]> {
  return sql<ClaimedDelivery[]>`
    with claimed as (
      update deliveries set status = 'delivering', updated_at = now()
      -- Pending or delivering, said as "not final": an IN list could use deliveries_status_idx, which
      -- the planner prefers whenever its statistics still show few pending rows (a burst has just
      -- queued thousands): the claim then walked every pending row. Found by primary key instead.
      where id = any(${ids}::uuid[]) and status not in ('succeeded', 'failed', 'discarded')
        and (attempts = 0 or not ${options.firstAttemptOnly === true}::boolean)
      -- What an attempt uses (not the audit trail and timestamps: parsed for nothing on every attempt).
      returning id, flow_id, flow_slug, flow_version, entity, record_id, trigger, event, idempotency_key, status, attempts,
        max_attempts, payload_override, connection_name, order_key, order_seq)
    select d.*, v.id as version_id, cc.state as circuit_state, cc.consecutive_failures as circuit_failures,
      cn.max_in_flight, cn.max_per_second, r.data as record_data, r.record_id as record_found, r.status as record_status,
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
