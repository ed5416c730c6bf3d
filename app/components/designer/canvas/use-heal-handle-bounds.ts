"use client";

import { useStore, useUpdateNodeInternals, type ReactFlowState } from "@xyflow/react";
import { useEffect } from "react";

/** Ids of measured nodes that React Flow holds no handle positions for, joined (a stable selector value). */
const unhandledNodes = (s: ReactFlowState) => {
  let ids = "";
  for (const [id, node] of s.nodeLookup) {
    if (node.measured.width && !node.internals.handleBounds) ids += ids ? `\n${id}` : id;
  }
  return ids;
};

/**
 * Re-measures any node whose handle positions React Flow has lost. The canvas derives its nodes from
 * the flow file and hands React Flow a node's size one render after React Flow measured it; a render
 * in between (a validation result arriving, say) gives React Flow the node without a size, which
 * makes it drop the handle positions it had just measured, and nothing measures them again (the
 * size did not change). A node in that state can neither start nor receive a connection: drags from
 * or to it end with no edge (seen in the browser journeys about one run in three).
 */
export function useHealHandleBounds(): void {
  const unhandled = useStore(unhandledNodes);
  const updateNodeInternals = useUpdateNodeInternals();
  useEffect(() => {
    if (unhandled) updateNodeInternals(unhandled.split("\n"));
  }, [unhandled, updateNodeInternals]);
}
