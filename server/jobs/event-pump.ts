/**
 * Moves committed record events from the outbox into graphile-worker jobs, a
 * batch at a time: the delete and the add_jobs commit together, so an event is
 * queued exactly once even with several workers (SKIP LOCKED splits the rows) and
 * none is lost if a worker dies mid-batch (its transaction rolls back).
 */
import type { Sql } from "postgres";
import { logger } from "../log";
import { RECORD_EVENT_TASK } from "../records/events";

const BATCH = 500;
const IDLE_POLL_MS = 200;

/** One batch; returns how many events were queued. */
export async function pumpRecordEvents(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    with moved as (
      delete from record_events where id in (
        select id from record_events order by id limit ${BATCH} for update skip locked)
      returning id, payload
    ), queued as (
      select graphile_worker.add_jobs(array_agg(
        row(${RECORD_EVENT_TASK}, payload::json, null, null, null, null, null, null)::graphile_worker.job_spec order by id))
      from moved having count(*) > 0
    )
    select (select count(*)::int from moved) as n, (select count(*) from queued) as q`;
  return row?.n ?? 0;
}

export function startEventPump(sql: Sql): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      let moved = 0;
      try {
        moved = await pumpRecordEvents(sql);
      } catch (error) {
        logger().warn({ err: error }, "moving record events to the job queue failed; retrying");
      }
      if (!stopped) timer = setTimeout(tick, moved === BATCH ? 0 : IDLE_POLL_MS);
    })();
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
