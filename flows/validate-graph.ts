/**
 * Static checks of a flow, precise enough to draw on the canvas: every error names its node and
 * the config path inside it. Pure and client-safe (the designer runs it on every edit); the engine
 * runs it before compiling, so a published version can only be a valid one.
 *
 * `path` is relative to the node when `nodeId` is set (`["config", "rules", 2, "pattern"]`) and
 * relative to the flow otherwise (`["edges", 3, "target"]`).
 */
import { checkExpression, checkExpressionRegexes, checkRegex } from "./expression";
import { DEFAULT_PORT, type FlowFile } from "./format";
import type { CatalogRef, NodeDefinition } from "./nodes/define";
import { getNodeDefinition } from "./nodes/registry";

export const GRAPH_ERROR_CODES = [
  "DUPLICATE_NODE_ID",
  "UNKNOWN_NODE_TYPE",
  "NO_TRIGGER",
  "MULTIPLE_TRIGGERS",
  "TRIGGER_DIRECTION_MISMATCH",
  "NODE_DIRECTION_MISMATCH",
  "UNKNOWN_EDGE_NODE",
  "INVALID_PORT",
  "DUPLICATE_EDGE",
  "CYCLE",
  "UNREACHABLE_NODE",
  "INVALID_CONFIG",
  "EXPRESSION_SYNTAX",
  "INVALID_REGEX",
  "UNKNOWN_ENTITY",
  "UNKNOWN_FIELD",
  "UNKNOWN_MASTER",
  "UNKNOWN_CONNECTION",
  "UNKNOWN_CREDENTIAL",
  "ORDER_KEY_WITHOUT_ORDER",
] as const;
export type GraphErrorCode = (typeof GRAPH_ERROR_CODES)[number];

export interface GraphError {
  nodeId: string | null;
  path: (string | number)[];
  code: GraphErrorCode;
  message: string;
  /** EXPRESSION_SYNTAX, and INVALID_REGEX of a regex literal: 1-based position inside the expression text. */
  line?: number;
  column?: number;
}

/** What exists in the ERP; each list is optional and its checks are skipped when it is absent. */
export interface GraphCatalog {
  entities?: Record<string, { fields: readonly string[] }>;
  masters?: readonly string[];
  connections?: readonly string[];
  credentials?: readonly string[];
}

interface NodeInfo {
  id: string;
  index: number;
  definition: NodeDefinition | undefined;
}

function checkReference(ref: CatalogRef, catalog: GraphCatalog): Omit<GraphError, "nodeId" | "path"> | undefined {
  const { entities, masters, connections, credentials } = catalog;
  switch (ref.kind) {
    case "entity":
      if (entities && !Object.hasOwn(entities, ref.name)) return { code: "UNKNOWN_ENTITY", message: `Unknown entity "${ref.name}"` };
      return undefined;
    case "field": {
      const entity = entities && Object.hasOwn(entities, ref.entity) ? entities[ref.entity] : undefined;
      const top = ref.name.split(".")[0] ?? ref.name;
      if (entity && !entity.fields.includes(top)) {
        return { code: "UNKNOWN_FIELD", message: `${ref.entity} has no field "${top}"` };
      }
      return undefined;
    }
    case "master":
      // "Must exist in a master" may name any reference list: a master (City) or records (Project).
      if (masters && !masters.includes(ref.name) && !(entities && Object.hasOwn(entities, ref.name))) {
        return { code: "UNKNOWN_MASTER", message: `Unknown master "${ref.name}"` };
      }
      return undefined;
    case "entityOrMaster":
      if (entities && masters && !Object.hasOwn(entities, ref.name) && !masters.includes(ref.name)) {
        return { code: "UNKNOWN_ENTITY", message: `"${ref.name}" is neither an entity nor a master` };
      }
      return undefined;
    case "connection":
      if (connections && !connections.includes(ref.name)) {
        return { code: "UNKNOWN_CONNECTION", message: `Unknown connection "${ref.name}"` };
      }
      return undefined;
    case "credential":
      if (credentials && !credentials.includes(ref.name)) {
        return { code: "UNKNOWN_CREDENTIAL", message: `Unknown credential "${ref.name}"` };
      }
      return undefined;
  }
}

function checkNodeConfig(flow: FlowFile, info: NodeInfo, catalog: GraphCatalog, errors: GraphError[]): void {
  const node = flow.nodes[info.index]!;
  const definition = info.definition!;
  const parsed = definition.configSchema.safeParse(node.config);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      errors.push({
        nodeId: node.id,
        path: ["config", ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
        code: "INVALID_CONFIG",
        message: issue.message,
      });
    }
    return;
  }
  const config = parsed.data;
  const configDirection = definition.configDirection?.(config);
  if (configDirection !== undefined && configDirection !== flow.direction) {
    errors.push({
      nodeId: node.id,
      path: ["config", "direction"],
      code: "NODE_DIRECTION_MISMATCH",
      message: `This is an ${flow.direction} flow, but the ${node.type} node is set up for ${configDirection} calls`,
    });
  }
  const found = definition.inspect(config);
  for (const expr of found.expressions) {
    const result = checkExpression(expr.text);
    if (!result.ok) {
      const { line, column, message } = result.error;
      errors.push({
        nodeId: node.id,
        path: ["config", ...expr.path],
        code: "EXPRESSION_SYNTAX",
        message: `${message} (line ${line}, column ${column})`,
        line,
        column,
      });
      continue;
    }
    // Regex literals must run on the linear-time engine; a pattern it cannot run is refused here,
    // so it can be neither published nor met at run time.
    for (const problem of checkExpressionRegexes(expr.text, result.expression)) {
      const { line, column, literal, message } = problem;
      errors.push({
        nodeId: node.id,
        path: ["config", ...expr.path],
        code: "INVALID_REGEX",
        message: `Regular expression ${literal}: ${message} (line ${line}, column ${column})`,
        line,
        column,
      });
    }
  }
  for (const re of found.regexes) {
    const result = checkRegex(re.pattern, re.flags);
    if (!result.ok) errors.push({ nodeId: node.id, path: ["config", ...re.path], code: "INVALID_REGEX", message: result.message });
  }
  for (const ref of found.references) {
    const problem = checkReference(ref, catalog);
    if (problem) errors.push({ nodeId: node.id, path: ["config", ...ref.path], ...problem });
  }
}

/** Depth-first search for cycles; reports each back edge once, naming the loop. */
function findCycles(ids: string[], next: Map<string, string[]>, errors: GraphError[]): void {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (id: string): void => {
    state.set(id, "open");
    stack.push(id);
    for (const target of next.get(id) ?? []) {
      const seen = state.get(target);
      if (seen === "open") {
        const loop = [...stack.slice(stack.indexOf(target)), target];
        errors.push({ nodeId: target, path: [], code: "CYCLE", message: `Cycle: ${loop.join(" → ")}` });
      } else if (seen === undefined) {
        visit(target);
      }
    }
    stack.pop();
    state.set(id, "done");
  };
  for (const id of ids) if (!state.has(id)) visit(id);
}

/** The flow's order key (options.orderKey): an expression that parses, on a flow ordered per record. */
function checkOrderKey(flow: FlowFile, errors: GraphError[]): void {
  const text = flow.options.orderKey;
  if (text === undefined) return;
  const path = ["options", "orderKey"];
  if (flow.options.order !== "per-record") {
    errors.push({ nodeId: null, path, code: "ORDER_KEY_WITHOUT_ORDER", message: 'Order key: set only with "Order per record" (options.order "per-record")' });
  }
  const result = checkExpression(text);
  if (!result.ok) {
    const { line, column, message } = result.error;
    errors.push({ nodeId: null, path, code: "EXPRESSION_SYNTAX", message: `Order key: ${message} (line ${line}, column ${column})`, line, column });
    return;
  }
  for (const problem of checkExpressionRegexes(text, result.expression)) {
    const { line, column, literal, message } = problem;
    errors.push({ nodeId: null, path, code: "INVALID_REGEX", message: `Order key: regular expression ${literal}: ${message} (line ${line}, column ${column})`, line, column });
  }
}

export function validateGraph(flow: FlowFile, catalog: GraphCatalog = {}): GraphError[] {
  const errors: GraphError[] = [];
  checkOrderKey(flow, errors);
  const nodes = new Map<string, NodeInfo>();

  flow.nodes.forEach((node, index) => {
    if (nodes.has(node.id)) {
      errors.push({ nodeId: node.id, path: ["id"], code: "DUPLICATE_NODE_ID", message: `Another node already has the id "${node.id}"` });
      return;
    }
    const definition = getNodeDefinition(node.type);
    nodes.set(node.id, { id: node.id, index, definition });
    if (!definition) {
      errors.push({ nodeId: node.id, path: ["type"], code: "UNKNOWN_NODE_TYPE", message: `Unknown node type "${node.type}"` });
      return;
    }
    if (!definition.trigger && !definition.directions.includes(flow.direction)) {
      errors.push({
        nodeId: node.id,
        path: ["type"],
        code: "NODE_DIRECTION_MISMATCH",
        message: `A ${definition.label} node cannot be used in an ${flow.direction} flow`,
      });
    }
    checkNodeConfig(flow, { id: node.id, index, definition }, catalog, errors);
  });

  const triggers = [...nodes.values()].filter((n) => n.definition?.trigger);
  if (triggers.length === 0) {
    errors.push({ nodeId: null, path: ["nodes"], code: "NO_TRIGGER", message: "A flow needs exactly one trigger node" });
  }
  for (const extra of triggers.slice(1)) {
    errors.push({ nodeId: extra.id, path: [], code: "MULTIPLE_TRIGGERS", message: "A flow has exactly one trigger; remove this one" });
  }
  for (const trigger of triggers) {
    if (!trigger.definition!.directions.includes(flow.direction)) {
      errors.push({
        nodeId: trigger.id,
        path: ["type"],
        code: "TRIGGER_DIRECTION_MISMATCH",
        message: `${trigger.definition!.label} starts ${trigger.definition!.directions.join("/")} flows, but this flow is ${flow.direction}`,
      });
    }
  }

  // Edges: only well-formed ones take part in the cycle and reachability checks.
  const next = new Map<string, string[]>();
  const seenEdges = new Set<string>();
  flow.edges.forEach((edge, i) => {
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    let ok = true;
    if (!source) {
      errors.push({ nodeId: null, path: ["edges", i, "source"], code: "UNKNOWN_EDGE_NODE", message: `Edge from unknown node "${edge.source}"` });
      ok = false;
    }
    if (!target) {
      errors.push({ nodeId: source ? source.id : null, path: ["edges", i, "target"], code: "UNKNOWN_EDGE_NODE", message: `Edge to unknown node "${edge.target}"` });
      ok = false;
    }
    const port = edge.sourcePort ?? DEFAULT_PORT;
    if (source?.definition && !source.definition.ports.outputs.includes(port)) {
      const outputs = source.definition.ports.outputs;
      errors.push({
        nodeId: source.id,
        path: ["edges", i, "sourcePort"],
        code: "INVALID_PORT",
        message: outputs.length === 0 ? `${source.definition.label} has no outputs` : `No output "${port}"; use ${outputs.map((o) => `"${o}"`).join(" or ")}`,
      });
      ok = false;
    }
    if (target?.definition && target.definition.ports.inputs.length === 0) {
      errors.push({ nodeId: target.id, path: ["edges", i, "target"], code: "INVALID_PORT", message: `${target.definition.label} takes no input` });
      ok = false;
    }
    const key = `${edge.source}\u0000${port}\u0000${edge.target}`;
    if (ok && seenEdges.has(key)) {
      errors.push({ nodeId: edge.source, path: ["edges", i], code: "DUPLICATE_EDGE", message: `Duplicate edge ${edge.source} → ${edge.target}` });
      ok = false;
    }
    if (ok) {
      seenEdges.add(key);
      const list = next.get(edge.source) ?? [];
      list.push(edge.target);
      next.set(edge.source, list);
    }
  });

  findCycles([...nodes.keys()], next, errors);

  const trigger = triggers[0];
  if (trigger) {
    const reached = new Set<string>([trigger.id]);
    const queue = [trigger.id];
    while (queue.length > 0) {
      for (const target of next.get(queue.shift()!) ?? []) {
        if (!reached.has(target)) {
          reached.add(target);
          queue.push(target);
        }
      }
    }
    for (const node of nodes.values()) {
      if (!reached.has(node.id) && !node.definition?.trigger) {
        errors.push({ nodeId: node.id, path: [], code: "UNREACHABLE_NODE", message: "Not connected to the trigger: this node would never run" });
      }
    }
  }
  return errors;
}
