/** Every graphile-worker task, by name. Kept in code: graphile's CLI cannot load .ts task files. */
import type { TaskList } from "graphile-worker";
import { nightlyMaintenance } from "./nightly-maintenance";
import { ping } from "./ping";
import { deliverOutgoing } from "./deliver-outgoing";
import { runScheduleTask } from "./run-schedule";
import { sendOpsAlertTask } from "./send-ops-alert";
import { SEND_ALERT_TASK } from "../../outgoing/alerts";
import { DELIVER_TASK } from "../../outgoing/dispatch";
import { RUN_SCHEDULE_TASK } from "../../outgoing/schedules";

export const taskList: TaskList = {
  ping,
  "nightly-maintenance": nightlyMaintenance,
  [DELIVER_TASK]: deliverOutgoing,
  [RUN_SCHEDULE_TASK]: runScheduleTask,
  [SEND_ALERT_TASK]: sendOpsAlertTask,
};
