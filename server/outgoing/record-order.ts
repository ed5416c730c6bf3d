/**
 * Order per record: a flow with `options.order: "per-record"` sends the deliveries of one record
 * one at a time, in the order their events came (an "approved" retry never arrives after the later
 * "cancelled"). Each such delivery carries `order_key` (entity and record, or the flow's order key
 * expression's value: order-keys.ts) and `order_seq` (from
 * a sequence, in event order). An attempt first looks for an unfinished delivery of the same flow
 * and key ahead of it (pending, delivering, or in the Failed Queue); if there is one, it waits
 * behind it ("waiting for …": `waiting_for`) without spending an attempt, and is woken when the one
 * ahead succeeds or is discarded. Other records are not held.
 */
import type { Queryable } from "@/server/db/queryable";
import { DELIVER_JOB_MAX_ATTEMPTS, DELIVER_TASK } from "./dispatch";

/** A waiting delivery looks again after this long even if nothing woke it (a wake lost to a crash). */
export const ORDER_RECHECK_MS = 60_000;

/** The unfinished delivery ahead of this one in its record's order, if any. */
export async function deliveryAhead(sql: Queryable, d: { id: string; flow_id: string; order_key: string; order_seq: string | number }): Promise<string | undefined> {
  const [row] = await sql<{ id: string }[]>`
    select id from deliveries
    where flow_id = ${d.flow_id} and order_key = ${d.order_key} and order_seq < ${d.order_seq}::bigint
      and status in ('pending', 'delivering', 'failed')
    order by order_seq desc limit 1`;
  return row?.id;
}

/** Puts a claimed delivery back to wait behind `ahead`, without spending an attempt. */
export async function waitBehind(sql: Queryable, deliveryId: string, ahead: string): Promise<Date> {
  const runAt = new Date(Date.now() + ORDER_RECHECK_MS);
  await sql`
    with waiting as (
      update deliveries set status = 'pending', waiting_for = ${ahead}, next_attempt_at = ${runAt}, updated_at = now()
      where id = ${deliveryId} and status = 'delivering' returning id)
    select graphile_worker.add_job(${DELIVER_TASK}, json_build_object('deliveryId', id::text),
      run_at => ${runAt}::timestamptz, max_attempts => ${DELIVER_JOB_MAX_ATTEMPTS}::int, job_key => 'delivery:' || id::text)
    from waiting`;
  return runAt;
}

/** The deliveries waiting behind `deliveryIds` (which just succeeded or were discarded) go now. */
export async function wakeFollowers(sql: Queryable, deliveryIds: string[]): Promise<void> {
  if (deliveryIds.length === 0) return;
  await sql`
    with locked as (
      -- Row locks in id order, as every statement that updates several deliveries takes them (server/db/conflicts.ts).
      select id from deliveries where waiting_for = any(${deliveryIds}::uuid[]) and status = 'pending' order by id for no key update
    ), woken as (
      update deliveries d set waiting_for = null, next_attempt_at = now(), updated_at = now()
      from locked l where d.id = l.id and d.waiting_for = any(${deliveryIds}::uuid[]) and d.status = 'pending' returning d.id)
    select graphile_worker.add_job(${DELIVER_TASK}, json_build_object('deliveryId', id::text),
      max_attempts => ${DELIVER_JOB_MAX_ATTEMPTS}::int, job_key => 'delivery:' || id::text)
    from woken`;
}
