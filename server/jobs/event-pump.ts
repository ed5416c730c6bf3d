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
import { createDeliveries, deliveriesForEvent, listOutgoingFlows, type RecordEventPayload } from "../outgoing/dispatch";
import { RECORD_EVENTS_CHANNEL } from "../records/events";

const BATCH = 500;
/** The fallback poll: events normally wake the pump through LISTEN/NOTIFY within a millisecond. */
const IDLE_POLL_MS = 500;

/** One batch; returns how many events were consumed. */
export async function pumpRecordEvents(sql: Sql): Promise<number> {
  return sql.begin(async (tx) => {
    const events = await tx<{ id: string; payload: RecordEventPayload }[]>`
      delete from record_events where id in (
        select id from record_events order by id limit ${BATCH} for update skip locked)
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

export function startEventPump(sql: Sql): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  const tick = () => {
    clearTimeout(timer);
    if (stopped) return;
    if (running) {
      again = true; // woken mid-batch: go once more right after it
      return;
    }
    running = (async () => {
      let moved = 0;
      try {
        moved = await pumpRecordEvents(sql);
      } catch (error) {
        logger().warn({ err: error }, "turning record events into deliveries failed; retrying");
      }
      running = undefined;
      const now = moved === BATCH || again;
      again = false;
      if (!stopped) timer = setTimeout(tick, now ? 0 : IDLE_POLL_MS);
    })();
  };
  // Committed events NOTIFY (server/records/events.ts): wake at once; the poll is the fallback.
  const listening = sql.listen(RECORD_EVENTS_CHANNEL, tick, tick).catch((error: unknown) => {
    logger().warn({ err: error }, "cannot LISTEN for record events; polling only");
    return undefined;
  });
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await (await listening)?.unlisten().catch(() => undefined);
      await running;
    },
  };
}