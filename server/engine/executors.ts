/**
 * The server registry: node type → executor. The client never imports this file (it reaches
 * `run.ts` code); `flows/nodes/registry.ts` is the shared catalogue of definitions. The mapped
 * type below makes a new entry in the catalogue a type error here until its executor is listed.
 */
import type { NodeDefinition } from "@/flows/nodes/define";
import { registerNodeDefinition, type NodeConfig, type NodeType } from "@/flows/nodes/registry";
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

// Built-ins, then types registered at run time with `registerNodeType`.
const registered = new Map<string, NodeExecutor<unknown>>(Object.entries(executors) as [string, NodeExecutor<unknown>][]);

/** The executor of a node type the catalogue knows. */
export function getExecutor(type: string): NodeExecutor<unknown> {
  const executor = registered.get(type);
  if (!executor) throw new Error(`No executor registered for node type "${type}"`);
  return executor;
}

/**
 * Adds a node type at run time, definition and executor together (in this process only: draft
 * worker threads know the built-ins). Built-ins are listed above instead; tests register extra types.
 */
export function registerNodeType<C>(definition: NodeDefinition, executor: NodeExecutor<C>): void {
  registerNodeDefinition(definition);
  registered.set(definition.type, executor as NodeExecutor<unknown>);
}
