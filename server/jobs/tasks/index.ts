/** Every graphile-worker task, by name. Kept in code: graphile's CLI cannot load .ts task files. */
import type { TaskList } from "graphile-worker";
import { maintainExecutions } from "./maintain-executions";
import { ping } from "./ping";
import { recordEvent } from "./record-event";
import { RECORD_EVENT_TASK } from "../../records/events";

export const taskList: TaskList = {
  ping,
  "maintain-executions": maintainExecutions,
  [RECORD_EVENT_TASK]: recordEvent,
};
