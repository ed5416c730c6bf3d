/**
 * The catalogue of node definitions, shared by the designer, graph validation and the engine.
 * Client-safe: it never imports an executor (`run.ts`); the server registry in
 * `server/engine/executors.ts` adds those. Adding a node type is its folder plus one line in
 * `nodeDefinitions` (and its executor's line in the server registry, which the type checker asks
 * for). Code elsewhere asks a definition's capabilities (`nodesWith`), never compares type names.
 */
import type { FlowFile, FlowNode } from "../format";
import type { NodeCapabilities, NodeDefinition } from "./define";
import { NODE_CATEGORIES } from "./define";
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
};

export type NodeDefinitions = typeof nodeDefinitions;
/** The built-in node types. */
export type NodeType = keyof NodeDefinitions;
export const NODE_TYPES = Object.keys(nodeDefinitions) as NodeType[];
export type NodeConfig<T extends NodeType> = ReturnType<NodeDefinitions[T]["configSchema"]["parse"]>;

// Built-ins first, then types registered at run time (a test fixture's extra node type).
const catalogue = new Map<string, NodeDefinition>(Object.entries(nodeDefinitions) as [string, NodeDefinition][]);

export function isNodeType(type: string): type is NodeType {
  return Object.hasOwn(nodeDefinitions, type);
}

/** Adds a node type to the catalogue (the server registry adds its executor: `registerNodeType`). */
export function registerNodeDefinition(definition: NodeDefinition): void {
  if (catalogue.has(definition.type)) throw new Error(`Node type "${definition.type}" is already registered`);
  catalogue.set(definition.type, definition);
}

/** The definition of a node type, or undefined for a type this version does not know. */
export function getNodeDefinition(type: string): NodeDefinition | undefined {
  return catalogue.get(type);
}

/** Every known definition, in catalogue order. */
export function allNodeDefinitions(): NodeDefinition[] {
  return [...catalogue.values()];
}

/** The palette: definitions grouped by category, in catalogue order. */
export function nodePalette(): { category: (typeof NODE_CATEGORIES)[number]; nodes: NodeDefinition[] }[] {
  const all = allNodeDefinitions();
  return NODE_CATEGORIES.map((category) => ({ category, nodes: all.filter((d) => d.category === category) }));
}

/** Whether the node's type starts a flow. */
export function isTrigger(node: Pick<FlowNode, "type">): boolean {
  return getNodeDefinition(node.type)?.trigger === true;
}

type Capability = Exclude<keyof NodeCapabilities<unknown>, "initialConfig">;
type CapabilityValue<K extends Capability> = NonNullable<NodeCapabilities<unknown>[K]> extends (config: unknown, ...rest: never[]) => infer R
  ? R
  : NonNullable<NodeCapabilities<unknown>[K]>;

/** A node whose type has a capability, with what the capability says of its (valid) config. */
export interface NodeWith<K extends Capability> {
  node: FlowNode;
  definition: NodeDefinition;
  config: unknown;
  value: CapabilityValue<K>;
}

/**
 * The nodes (in `nodes` order) whose type declares `capability` and whose config is valid, each
 * with the capability's answer. Nodes with an invalid config are left out: the graph checks name them.
 */
export function nodesWith<K extends Capability>(nodes: readonly FlowNode[], capability: K): NodeWith<K>[] {
  const found: NodeWith<K>[] = [];
  for (const node of nodes) {
    const definition = getNodeDefinition(node.type);
    const declared = definition?.[capability] as unknown;
    if (!definition || declared === undefined) continue;
    const parsed = definition.configSchema.safeParse(node.config);
    if (!parsed.success) continue;
    const value = (typeof declared === "function" ? (declared as (c: unknown) => unknown)(parsed.data) : declared) as CapabilityValue<K>;
    found.push({ node, definition, config: parsed.data, value });
  }
  return found;
}

/** The first of `nodes` whose type declares `capability` (valid config), if any. */
export function firstWith<K extends Capability>(nodes: readonly FlowNode[], capability: K): NodeWith<K> | undefined {
  return nodesWith(nodes, capability)[0];
}

/** What the node's type says of its config through `capability`; undefined when it lacks it or the config is invalid. */
export function capabilityOf<K extends Capability>(node: FlowNode, capability: K): CapabilityValue<K> | undefined {
  return firstWith([node], capability)?.value;
}

/** Whether the node's type declares `capability`, whatever its config. */
export function hasCapability(node: Pick<FlowNode, "type">, capability: Capability | "initialConfig"): boolean {
  return getNodeDefinition(node.type)?.[capability] !== undefined;
}

/** The flow's trigger node (a valid flow has exactly one). */
export function triggerNode(flow: Pick<FlowFile, "nodes">): FlowNode | undefined {
  return flow.nodes.find(isTrigger);
}

export { NODE_CATEGORIES };
export type { NodeDefinition };
