/**
 * Turns committed record events into deliveries, a batch at a time: the outbox
 * rows are deleted and the deliveries (with their deliver-outgoing jobs) created
 * in one transaction, so each event fans out exactly once even with several
 * workers (SKIP LOCKED splits the rows), and none is lost if a worker dies
 * mid-batch (its transaction rolls back). Doing the fan-out here, rather than in
 * a job per event, saves a job and a transaction on every change.
 */
import type { Sql } from "postgres";
import { logger } from "../log";
import { givingWay, PACE_MS } from "../outgoing/give-way";
import { createDeliveries, deliveriesForEvent, FIRST_ATTEMPTS_PER_JOB, listOutgoingFlows, type RecordEventPayload } from "../outgoing/dispatch";

const BATCH = 500;
/** How often an idle pump looks for events: adds 10 ms to event-to-delivery on average. */
const IDLE_POLL_MS = 20;

/** One batch; returns how many events were consumed. */
export async function pumpRecordEvents(sql: Sql, batch = BATCH): Promise<number> {
  return sql.begin(async (tx) => {
    const events = await tx<{ id: string; payload: RecordEventPayload }[]>`
      delete from record_events where id in (
        select id from record_events order by id limit ${batch} for update skip locked)
      returning id, payload`;
    if (events.length === 0) return 0;
    const flows = await listOutgoingFlows(tx, "trigger.event");
    if (flows.length > 0) {
      events.sort((a, b) => Number(a.id) - Number(b.id));
      await createDeliveries(tx, events.flatMap((e) => deliveriesForEvent(flows, e.payload, ["outbox", String(e.id)])));
    }
    return events.length;
  });
}

/**
 * Whether any event waits: one tiny autocommit read, so the pump can look often (latency) without
 * a transaction each time. (Not LISTEN/NOTIFY: a NOTIFY makes every committing writer take a
 * database-wide lock until its commit is flushed, which would serialise all record writes.)
 */
async function eventsWaiting(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ waiting: boolean }[]>`select exists (select 1 from record_events) as waiting`;
  return row!.waiting;
}

export function startEventPump(sql: Sql): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let lastPumped = 0;
  const tick = () => {
    running = (async () => {
      let moved = 0;
      try {
        // Live calls first (give-way.ts): while they keep the web busy, one job's worth per pace.
        const paced = givingWay();
        if ((!paced || Date.now() - lastPumped >= PACE_MS) && (await eventsWaiting(sql))) {
          lastPumped = Date.now();
          moved = await pumpRecordEvents(sql, paced ? FIRST_ATTEMPTS_PER_JOB : BATCH);
        }
      } catch (error) {
        logger().warn({ err: error }, "turning record events into deliveries failed; retrying");
      }
      if (!stopped) timer = setTimeout(tick, moved > 0 ? 0 : IDLE_POLL_MS);
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
