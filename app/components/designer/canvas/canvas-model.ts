/**
 * The draft flow as React Flow nodes and edges. Node data carries what the card shows (summary,
 * problems, last test-run result) so the card is a pure function of its data and React Flow can skip
 * re-rendering cards whose data did not change (summaries are cached per flow node object).
 */
import type { Edge, Node } from "@xyflow/react";
import { DEFAULT_PORT, type FlowFile, type FlowNode } from "@/flows/format";
import { getNodeDefinition } from "@/flows/nodes/registry";
import type { GraphError } from "@/flows/validate-graph";
import type { NodeRunView } from "../run-view";
import { edgeKey } from "./graph-edits";

export interface FlowNodeData extends Record<string, unknown> {
  node: FlowNode;
  summary: string;
  problems: GraphError[];
  run: NodeRunView | undefined;
}

export type CanvasNode = Node<FlowNodeData, "flow">;

const summaries = new WeakMap<FlowNode, string>();

/** The definition's one-line summary of a valid config; a prompt when the config is not valid yet. */
export function summarizeNode(node: FlowNode): string {
  const cached = summaries.get(node);
  if (cached !== undefined) return cached;
  const definition = getNodeDefinition(node.type);
  let summary: string;
  if (!definition) summary = `unknown type ${node.type}`;
  else {
    const parsed = definition.configSchema.safeParse(node.config);
    summary = parsed.success ? definition.summarize(parsed.data) : "needs configuration";
  }
  summaries.set(node, summary);
  return summary;
}

export function problemsByNode(errors: GraphError[]): Map<string, GraphError[]> {
  const byNode = new Map<string, GraphError[]>();
  for (const error of errors) {
    if (!error.nodeId) continue;
    const list = byNode.get(error.nodeId) ?? [];
    list.push(error);
    byNode.set(error.nodeId, list);
  }
  return byNode;
}

const NO_PROBLEMS: GraphError[] = [];

export function toCanvasNodes(
  flow: FlowFile,
  problems: Map<string, GraphError[]>,
  run: Record<string, NodeRunView> | undefined,
  selection: ReadonlySet<string>,
): CanvasNode[] {
  return flow.nodes.map((node) => ({
    id: node.id,
    type: "flow",
    position: node.position,
    selected: selection.has(node.id),
    data: { node, summary: summarizeNode(node), problems: problems.get(node.id) ?? NO_PROBLEMS, run: run?.[node.id] },
  }));
}

export function toCanvasEdges(flow: FlowFile, run: Record<string, NodeRunView> | undefined): Edge[] {
  return flow.edges.map((edge) => {
    const port = edge.sourcePort ?? DEFAULT_PORT;
    const ran = run?.[edge.source]?.status === "success" && run[edge.target] !== undefined && run[edge.target]!.status !== "skipped";
    return {
      id: edgeKey(edge),
      source: edge.source,
      target: edge.target,
      sourceHandle: port,
      targetHandle: "in",
      label: port === DEFAULT_PORT ? undefined : port,
      animated: ran,
      className: ran ? "edge-ran" : undefined,
    };
  });
}

/** The output ports a node's card draws (branch: true/false). */
export function outputPorts(type: string): string[] {
  return getNodeDefinition(type)?.ports.outputs ?? [DEFAULT_PORT];
}

export function hasInput(type: string): boolean {
  return (getNodeDefinition(type)?.ports.inputs.length ?? 1) > 0;
}
