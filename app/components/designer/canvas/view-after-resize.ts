"use client";

/**
 * When the canvas changes size (the inspector widens for the mapper, the window is resized), React
 * Flow keeps the viewport's top-left corner where it was, so the part of the flow on the far side
 * slides out of sight, or under the minimap. Instead: a view that showed the whole flow is fitted
 * again to the new size, and any other view keeps its centre where it was, at the same zoom.
 */
import { useReactFlow, type Rect, type Viewport } from "@xyflow/react";
import { useEffect, type RefObject } from "react";

export interface Size {
  width: number;
  height: number;
}

export type ViewAfterResize = { kind: "fit" } | { kind: "keep-centre"; viewport: Viewport } | { kind: "none" };

/** What to do with the viewport when the canvas goes from `before` to `after`. */
export function viewAfterResize(bounds: Rect | undefined, viewport: Viewport, before: Size, after: Size): ViewAfterResize {
  if (before.width === 0 || before.height === 0 || (before.width === after.width && before.height === after.height)) return { kind: "none" };
  const { x, y, zoom } = viewport;
  if (bounds) {
    const left = -x / zoom;
    const top = -y / zoom;
    const wholeFlowInView = bounds.x >= left && bounds.y >= top && bounds.x + bounds.width <= left + before.width / zoom && bounds.y + bounds.height <= top + before.height / zoom;
    if (wholeFlowInView) return { kind: "fit" };
  }
  return { kind: "keep-centre", viewport: { x: x + (after.width - before.width) / 2, y: y + (after.height - before.height) / 2, zoom } };
}

/** Applies `viewAfterResize` to the canvas whose element `container` holds. */
export function useViewFollowsResize(container: RefObject<HTMLElement | null>, fitOptions: { padding: number; maxZoom: number }): void {
  const { getNodes, getNodesBounds, getViewport, setViewport, fitView } = useReactFlow();
  const { padding, maxZoom } = fitOptions;
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    let last: Size = { width: element.clientWidth, height: element.clientHeight };
    const observer = new ResizeObserver(() => {
      const size: Size = { width: element.clientWidth, height: element.clientHeight };
      const nodes = getNodes();
      const next = viewAfterResize(nodes.length > 0 ? getNodesBounds(nodes) : undefined, getViewport(), last, size);
      last = size;
      if (next.kind === "fit") void fitView({ padding, maxZoom });
      else if (next.kind === "keep-centre") void setViewport(next.viewport);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [container, getNodes, getNodesBounds, getViewport, setViewport, fitView, padding, maxZoom]);
}
