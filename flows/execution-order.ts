/**
 * The order in which the engine runs a flow's nodes: topological from the trigger, successors in
 * node-list order so the same file always gives the same order. One home for it: the engine's plan
 * (server/engine/compile.ts) and the designer's list of a dry run's node results both use it, so the
 * list reads in the order the run happened, not in the order the nodes were created.
 */
import type { FlowFile } from "./format";
import { getNodeDefinition } from "./nodes/registry";

type Graph = Pick<FlowFile, "nodes" | "edges">;

/** Node ids reachable from `triggerId`, each after all of its predecessors. */
export function topologicalOrder(flow: Graph, triggerId: string): string[] {
  const indegree = new Map(flow.nodes.map((n) => [n.id, 0]));
  for (const e of flow.edges) indegree.set(e.target, (indegree.get(e.target) ?? 0) + 1);
  const order: string[] = [];
  const ready = [triggerId];
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(id);
    const targets = new Set(flow.edges.filter((e) => e.source === id).map((e) => e.target));
    for (const node of flow.nodes) {
      if (!targets.has(node.id)) continue;
      const left = indegree.get(node.id)! - flow.edges.filter((e) => e.source === id && e.target === node.id).length;
      indegree.set(node.id, left);
      if (left === 0) ready.push(node.id);
    }
  }
  return order;
}

/**
 * `ids` (a run's node results) in execution order: from the flow's trigger, then any id the graph does not reach, in the order given.
 */
export function inExecutionOrder(flow: Graph, ids: readonly string[]): string[] {
  const trigger = flow.nodes.find((n) => getNodeDefinition(n.type)?.trigger);
  const wanted = new Set(ids);
  const ordered = trigger ? topologicalOrder(flow, trigger.id).filter((id) => wanted.has(id)) : [];
  const placed = new Set(ordered);
  return [...ordered, ...ids.filter((id) => !placed.has(id))];
}
