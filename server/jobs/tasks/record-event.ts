/**
 * `record-event`: one ERP change (queued in the change's own transaction by
 * server/records/events.ts). The outgoing issue fans it out to the published
 * outgoing flows whose event trigger matches; until then it is only logged.
 */
import type { Task } from "graphile-worker";
import { logger } from "../../log";
import type { RecordEvent } from "../../records/events";

export const recordEvent: Task = async (payload) => {
  const event = payload as RecordEvent;
  logger().debug({ event }, "record event");
};
