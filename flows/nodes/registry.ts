/**
 * The catalogue of node definitions, shared by the designer, graph validation and the engine.
 * Client-safe: it never imports an executor (`run.ts`); the server registry in
 * `server/engine/executors.ts` adds those.
 */
import type { NodeDefinition, NodeType } from "./define";
import { NODE_CATEGORIES, NODE_TYPES } from "./define";
import { authDefinition } from "./auth/definition";
import { branchDefinition } from "./branch/definition";
import { lookupDefinition } from "./lookup/definition";
import { mapDefinition } from "./map/definition";
import { respondDefinition } from "./respond/definition";
import { sendDefinition } from "./send/definition";
import { storeDefinition } from "./store/definition";
import { triggerEventDefinition } from "./trigger.event/definition";
import { triggerHttpDefinition } from "./trigger.http/definition";
import { triggerManualDefinition } from "./trigger.manual/definition";
import { triggerScheduleDefinition } from "./trigger.schedule/definition";
import { validateDefinition } from "./validate/definition";

export const nodeDefinitions = {
  "trigger.http": triggerHttpDefinition,
  "trigger.event": triggerEventDefinition,
  "trigger.manual": triggerManualDefinition,
  "trigger.schedule": triggerScheduleDefinition,
  auth: authDefinition,
  map: mapDefinition,
  validate: validateDefinition,
  branch: branchDefinition,
  lookup: lookupDefinition,
  store: storeDefinition,
  send: sendDefinition,
  respond: respondDefinition,
} satisfies Record<NodeType, NodeDefinition>;

export type NodeDefinitions = typeof nodeDefinitions;
export type NodeConfig<T extends NodeType> = ReturnType<NodeDefinitions[T]["configSchema"]["parse"]>;

export function isNodeType(type: string): type is NodeType {
  return (NODE_TYPES as readonly string[]).includes(type);
}

/** The definition of a node type, or undefined for a type this version does not know. */
export function getNodeDefinition(type: string): NodeDefinition | undefined {
  return isNodeType(type) ? (nodeDefinitions[type] as NodeDefinition) : undefined;
}

/** The palette: definitions grouped by category, in catalogue order. */
export function nodePalette(): { category: (typeof NODE_CATEGORIES)[number]; nodes: NodeDefinition[] }[] {
  const all = Object.values(nodeDefinitions) as NodeDefinition[];
  return NODE_CATEGORIES.map((category) => ({ category, nodes: all.filter((d) => d.category === category) }));
}

export { NODE_TYPES, NODE_CATEGORIES };
export type { NodeDefinition, NodeType };
