/** Every graphile-worker task, by name. Kept in code: graphile's CLI cannot load .ts task files. */
import type { TaskList } from "graphile-worker";
import { ping } from "./ping";

export const taskList: TaskList = {
  ping,
};
