/**
 * `record-event`: one committed ERP change as a job. The event pump now fans events out
 * itself (server/jobs/event-pump.ts); this task remains for such jobs already queued by an
 * earlier version, and for scripts that queue an event by hand. It fans the event out to the
 * published outgoing flows whose trigger matches (one delivery and one `deliver-outgoing` job
 * per flow, committed together); re-running it creates nothing new.
 */
import type { Task } from "graphile-worker";
import { getSql } from "../../db/client";
import { logger } from "../../log";
import { dispatchRecordEvent, type RecordEventPayload } from "../../outgoing/dispatch";

export const recordEvent: Task = async (payload, helpers) => {
  const event = payload as RecordEventPayload;
  const sql = await getSql();
  const deliveries = await dispatchRecordEvent(sql, event, { jobId: helpers.job.id });
  if (deliveries.length > 0) logger().debug({ event, deliveries }, "record event delivered to outgoing flows");
};
