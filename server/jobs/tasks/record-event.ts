/**
 * `record-event`: one committed ERP change (queued in the change's own transaction by
 * server/records/events.ts, moved here by the event pump). Fans it out to the published outgoing
 * flows whose event trigger matches: one delivery and one `deliver-outgoing` job per flow,
 * committed together. Re-running the job (a worker died after the commit) creates nothing new.
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
