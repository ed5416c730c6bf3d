/**
 * Automatic layout with dagre: left to right in the order data flows, branch outputs fanning out.
 * Node sizes are the canvas's rendered card size, so ranks never overlap. A long chain wraps: at
 * most MAX_RANKS_PER_ROW ranks a row, rows balanced and read like text, so a flow of up to ~10 nodes
 * fits a laptop's canvas at a readable zoom (issue 17: vendor-master's six nodes in one row opened
 * at zoom 0.32 at 1440×900; in two rows of three it opens at full size). Nodes with no edge yet
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

/** The card's size in canvas.module.css (.node): width, and min-height plus a summary line. */
export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 64;
const MARGIN = 20;
const MAX_RANKS_PER_ROW = 4;
const ROW_GAP = 56;
const GRID_COLUMNS = 3;
const GRID_GAP = { x: 70, y: 50 };

export function layoutPositions(flow: Pick<FlowFile, "nodes" | "edges">): Map<string, { x: number; y: number }> {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "LR", nodesep: 28, ranksep: 48, marginx: MARGIN, marginy: MARGIN });
  graph.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(flow.nodes.map((n) => n.id));
  const connected = new Set(flow.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).flatMap((e) => [e.source, e.target]));
  for (const node of flow.nodes) if (connected.has(node.id)) graph.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of flow.edges) {
    if (graph.hasNode(edge.source) && graph.hasNode(edge.target)) graph.setEdge(edge.source, edge.target);
  }
  dagre.layout(graph);
  const positions = wrapRanks(flow.nodes.filter((n) => connected.has(n.id)).map((n) => ({ id: n.id, ...graph.node(n.id) })));
  let bottom = 0;
  for (const p of positions.values()) bottom = Math.max(bottom, p.y + NODE_HEIGHT);
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

/**
 * dagre's single row of ranks (nodes of a rank share an x) cut into balanced rows of at most
 * MAX_RANKS_PER_ROW ranks, each row a copy of the graph's height below the previous one. Takes
 * dagre's centres, returns top-left corners.
 */
function wrapRanks(laid: { id: string; x: number; y: number }[]): Map<string, { x: number; y: number }> {
  const positions = new Map<string, { x: number; y: number }>();
  if (laid.length === 0) return positions;
  const rankXs = [...new Set(laid.map((n) => Math.round(n.x)))].sort((a, b) => a - b);
  const rows = Math.ceil(rankXs.length / MAX_RANKS_PER_ROW);
  const perRow = Math.ceil(rankXs.length / rows);
  const top = Math.min(...laid.map((n) => n.y));
  const height = Math.max(...laid.map((n) => n.y)) - top + NODE_HEIGHT;
  for (const n of laid) {
    const rank = rankXs.indexOf(Math.round(n.x));
    const row = Math.floor(rank / perRow);
    const rowStart = rankXs[row * perRow]!;
    positions.set(n.id, {
      x: MARGIN + Math.round(n.x) - rowStart,
      y: MARGIN + (n.y - top) + row * (height + ROW_GAP),
    });
  }
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
