/**
 * The server registry: node type → executor. The client never imports this file (it reaches
 * `run.ts` code); `flows/nodes/registry.ts` is the shared catalogue of definitions.
 */
import type { NodeType } from "@/flows/nodes/define";
import type { NodeConfig } from "@/flows/nodes/registry";
import { authExecutor } from "@/flows/nodes/auth/run";
import { branchExecutor } from "@/flows/nodes/branch/run";
import { lookupExecutor } from "@/flows/nodes/lookup/run";
import { mapExecutor } from "@/flows/nodes/map/run";
import { respondExecutor } from "@/flows/nodes/respond/run";
import { sendExecutor } from "@/flows/nodes/send/run";
import { storeExecutor } from "@/flows/nodes/store/run";
import { triggerEventExecutor } from "@/flows/nodes/trigger.event/run";
import { triggerHttpExecutor } from "@/flows/nodes/trigger.http/run";
import { triggerManualExecutor } from "@/flows/nodes/trigger.manual/run";
import { triggerScheduleExecutor } from "@/flows/nodes/trigger.schedule/run";
import { validateExecutor } from "@/flows/nodes/validate/run";
import type { NodeExecutor } from "./types";

export const executors: { [T in NodeType]: NodeExecutor<NodeConfig<T>> } = {
  "trigger.http": triggerHttpExecutor,
  "trigger.event": triggerEventExecutor,
  "trigger.manual": triggerManualExecutor,
  "trigger.schedule": triggerScheduleExecutor,
  auth: authExecutor,
  map: mapExecutor,
  validate: validateExecutor,
  branch: branchExecutor,
  lookup: lookupExecutor,
  store: storeExecutor,
  send: sendExecutor,
  respond: respondExecutor,
};

export function getExecutor(type: NodeType): NodeExecutor<unknown> {
  return executors[type] as NodeExecutor<unknown>;
}
