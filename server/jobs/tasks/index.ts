/** Every graphile-worker task, by name. Kept in code: graphile's CLI cannot load .ts task files. */
import type { TaskList } from "graphile-worker";
import { nightlyMaintenance } from "./nightly-maintenance";
import { ping } from "./ping";
import { recordEvent } from "./record-event";
import { deliverOutgoing } from "./deliver-outgoing";
import { runScheduleTask } from "./run-schedule";
import { RECORD_EVENT_TASK } from "../../records/events";
import { DELIVER_TASK } from "../../outgoing/dispatch";
import { RUN_SCHEDULE_TASK } from "../../outgoing/schedules";

export const taskList: TaskList = {
  ping,
  "nightly-maintenance": nightlyMaintenance,
  [RECORD_EVENT_TASK]: recordEvent,
  [DELIVER_TASK]: deliverOutgoing,
  [RUN_SCHEDULE_TASK]: runScheduleTask,
};
