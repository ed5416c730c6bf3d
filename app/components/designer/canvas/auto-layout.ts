/**
 * Automatic layout with dagre: left to right in the order data flows, branch outputs fanning out.
 * Node sizes are the canvas's rendered card size, so ranks never overlap.
 */
import dagre from "@dagrejs/dagre";
import type { FlowFile } from "@/flows/format";
import { moveNodes } from "./graph-edits";

export const NODE_WIDTH = 240;
export const NODE_HEIGHT = 76;

export function layoutPositions(flow: Pick<FlowFile, "nodes" | "edges">): Map<string, { x: number; y: number }> {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 70, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of flow.nodes) graph.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of flow.edges) {
    if (graph.hasNode(edge.source) && graph.hasNode(edge.target)) graph.setEdge(edge.source, edge.target);
  }
  dagre.layout(graph);
  const positions = new Map<string, { x: number; y: number }>();
  for (const node of flow.nodes) {
    const laid = graph.node(node.id);
    // dagre gives centres; the canvas positions nodes by their top-left corner.
    if (laid) positions.set(node.id, { x: laid.x - NODE_WIDTH / 2, y: laid.y - NODE_HEIGHT / 2 });
  }
  return positions;
}

export function autoLayout(flow: FlowFile): FlowFile {
  return moveNodes(flow, layoutPositions(flow));
}
