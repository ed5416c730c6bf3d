/**
 * Edits of a draft flow's graph, as pure functions FlowFile → FlowFile. The canvas, the keyboard
 * shortcuts and the inspector all go through these, so undo/redo sees one kind of change.
 */
import { DEFAULT_PORT, type FlowEdge, type FlowFile, type FlowNode } from "@/flows/format";
import { getNodeDefinition } from "@/flows/nodes/registry";

/** A type's first word (trigger.http → trigger, map → map); then map2, map3… until unused. */
export function nextNodeId(flow: Pick<FlowFile, "nodes">, type: string, taken: Set<string> = new Set()): string {
  const base = (type.split(".")[0] ?? "node").replace(/[^A-Za-z0-9_-]/g, "") || "node";
  const used = new Set([...flow.nodes.map((n) => n.id), ...taken]);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}${i}`)) return `${base}${i}`;
}

/** A new node's config: the definition's defaults, adjusted to the flow it lands in. */
export function initialConfig(flow: FlowFile, type: string): Record<string, unknown> {
  const definition = getNodeDefinition(type);
  if (definition?.initialConfig) return definition.initialConfig({ slug: flow.slug, direction: flow.direction });
  return structuredClone((definition?.defaults ?? {}) as Record<string, unknown>);
}

export function addNode(flow: FlowFile, type: string, position: { x: number; y: number }): { flow: FlowFile; id: string } {
  const id = nextNodeId(flow, type);
  const node: FlowNode = {
    id,
    type,
    name: getNodeDefinition(type)?.label ?? type,
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    config: initialConfig(flow, type),
  };
  return { flow: { ...flow, nodes: [...flow.nodes, node] }, id };
}

export function updateNode(flow: FlowFile, id: string, patch: Partial<Omit<FlowNode, "id">>): FlowFile {
  return { ...flow, nodes: flow.nodes.map((n) => (n.id === id ? { ...n, ...patch } : n)) };
}

export function moveNodes(flow: FlowFile, positions: Map<string, { x: number; y: number }>): FlowFile {
  if (positions.size === 0) return flow;
  return {
    ...flow,
    nodes: flow.nodes.map((n) => {
      const p = positions.get(n.id);
      return p ? { ...n, position: { x: Math.round(p.x), y: Math.round(p.y) } } : n;
    }),
  };
}

export function removeNodes(flow: FlowFile, ids: Iterable<string>): FlowFile {
  const gone = new Set(ids);
  if (gone.size === 0) return flow;
  return {
    ...flow,
    nodes: flow.nodes.filter((n) => !gone.has(n.id)),
    edges: flow.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target)),
  };
}

/** The canvas's id of an edge: stable across renders and unique per (source, port, target). */
export function edgeKey(edge: FlowEdge): string {
  return `${edge.source}:${edge.sourcePort ?? DEFAULT_PORT}->${edge.target}`;
}

export function removeEdges(flow: FlowFile, keys: Iterable<string>): FlowFile {
  const gone = new Set(keys);
  if (gone.size === 0) return flow;
  return { ...flow, edges: flow.edges.filter((e) => !gone.has(edgeKey(e))) };
}

/** Connects source's port to target; refuses self-loops and duplicates (returns the flow unchanged). */
export function connect(flow: FlowFile, source: string, port: string | null | undefined, target: string): FlowFile {
  if (source === target) return flow;
  const edge: FlowEdge = port && port !== DEFAULT_PORT ? { source, target, sourcePort: port } : { source, target };
  if (flow.edges.some((e) => edgeKey(e) === edgeKey(edge))) return flow;
  return { ...flow, edges: [...flow.edges, edge] };
}

/** What Ctrl+C keeps: the chosen nodes and the edges between them. */
export interface GraphClipboard {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

export function copyNodes(flow: FlowFile, ids: Iterable<string>): GraphClipboard | null {
  const chosen = new Set(ids);
  const nodes = flow.nodes.filter((n) => chosen.has(n.id));
  if (nodes.length === 0) return null;
  return structuredClone({ nodes, edges: flow.edges.filter((e) => chosen.has(e.source) && chosen.has(e.target)) });
}

/** Pastes a copy with fresh ids, shifted so it does not hide the original; returns the new ids. */
export function pasteNodes(flow: FlowFile, clip: GraphClipboard, offset = { x: 40, y: 40 }): { flow: FlowFile; ids: string[] } {
  const renamed = new Map<string, string>();
  const taken = new Set<string>();
  for (const node of clip.nodes) {
    const id = nextNodeId(flow, node.type, taken);
    taken.add(id);
    renamed.set(node.id, id);
  }
  const nodes = clip.nodes.map((n) => ({
    ...structuredClone(n),
    id: renamed.get(n.id)!,
    position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
  }));
  const edges = clip.edges.map((e) => ({ ...e, source: renamed.get(e.source)!, target: renamed.get(e.target)! }));
  return { flow: { ...flow, nodes: [...flow.nodes, ...nodes], edges: [...flow.edges, ...edges] }, ids: [...renamed.values()] };
}
