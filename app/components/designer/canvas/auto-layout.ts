/**
 * Automatic layout with dagre: left to right in the order data flows, branch outputs fanning out.
 * Node sizes are the canvas's rendered card size, so ranks never overlap. Nodes with no edge yet
 * (just dropped from the palette) would all share dagre's first rank, one tall column in drop
 * order; they go in a compact grid instead (rows of up to three, readable beside a wide inspector),
 * in the palette's pipeline order (trigger, auth, map, validate, store, respond), below the
 * connected part, ready to be connected.
 */
import dagre from "@dagrejs/dagre";
import type { FlowFile, FlowNode } from "@/flows/format";
import { NODE_CATEGORIES } from "@/flows/nodes/define";
import { getNodeDefinition } from "@/flows/nodes/registry";
import { moveNodes } from "./graph-edits";

export const NODE_WIDTH = 240;
export const NODE_HEIGHT = 76;
const MARGIN = 20;
const GRID_COLUMNS = 3;
const GRID_GAP = { x: 70, y: 50 };

export function layoutPositions(flow: Pick<FlowFile, "nodes" | "edges">): Map<string, { x: number; y: number }> {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 70, marginx: MARGIN, marginy: MARGIN });
  graph.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(flow.nodes.map((n) => n.id));
  const connected = new Set(flow.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).flatMap((e) => [e.source, e.target]));
  for (const node of flow.nodes) if (connected.has(node.id)) graph.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of flow.edges) {
    if (graph.hasNode(edge.source) && graph.hasNode(edge.target)) graph.setEdge(edge.source, edge.target);
  }
  dagre.layout(graph);
  const positions = new Map<string, { x: number; y: number }>();
  let bottom = 0;
  for (const node of flow.nodes) {
    const laid = connected.has(node.id) ? graph.node(node.id) : undefined;
    if (!laid) continue;
    // dagre gives centres; the canvas positions nodes by their top-left corner.
    positions.set(node.id, { x: laid.x - NODE_WIDTH / 2, y: laid.y - NODE_HEIGHT / 2 });
    bottom = Math.max(bottom, laid.y + NODE_HEIGHT / 2);
  }
  const unconnected = flow.nodes.filter((n) => !connected.has(n.id)).sort(pipelineOrder);
  const top = positions.size > 0 ? bottom + GRID_GAP.y : MARGIN;
  unconnected.forEach((node, i) => {
    positions.set(node.id, {
      x: MARGIN + (i % GRID_COLUMNS) * (NODE_WIDTH + GRID_GAP.x),
      y: top + Math.floor(i / GRID_COLUMNS) * (NODE_HEIGHT + GRID_GAP.y),
    });
  });
  return positions;
}

/** Palette category first (triggers before security before transforms…), then where the user put it. */
function pipelineOrder(a: FlowNode, b: FlowNode): number {
  const rank = (n: FlowNode) => {
    const category = getNodeDefinition(n.type)?.category;
    return category ? NODE_CATEGORIES.indexOf(category) : NODE_CATEGORIES.length;
  };
  return rank(a) - rank(b) || a.position.x - b.position.x || a.position.y - b.position.y;
}

export function autoLayout(flow: FlowFile): FlowFile {
  return moveNodes(flow, layoutPositions(flow));
}
