"use client";

/**
 * When the canvas changes size (the inspector widens for the mapper, the window is resized), React
 * Flow keeps the viewport's top-left corner where it was, so the part of the flow on the far side
 * slides out of sight, or under the minimap. Instead: a view that showed the whole flow is fitted
 * again to the new size, and any other view keeps its centre where it was, at the same zoom.
 * Except when fitting would make the cards unreadable (a long flow beside the wide mapper
 * inspector): then the selected node, the one being edited, is centred at a readable zoom.
 */
import { useReactFlow, type Rect, type Viewport } from "@xyflow/react";
import { useEffect, type RefObject } from "react";

export interface Size {
  width: number;
  height: number;
}

export type ViewAfterResize = { kind: "fit" } | { kind: "keep-centre" | "focus"; viewport: Viewport } | { kind: "none" };

/** Below this zoom a card's name and summary cannot be read. */
export const READABLE_ZOOM = 0.6;
const FOCUS_ZOOM = 0.85;

/** The zoom at which `bounds` fills `size` with React Flow's fit padding (a fraction of the size). */
export function fitZoom(bounds: Rect, size: Size, padding: number, maxZoom: number): number {
  return Math.min(maxZoom, size.width / (bounds.width * (1 + padding)), size.height / (bounds.height * (1 + padding)));
}

/**
 * What to do with the viewport when the canvas goes from `before` to `after`. `focus`: the selected
 * nodes' bounds, centred instead of fitting when the fit would fall below READABLE_ZOOM.
 */
export function viewAfterResize(
  bounds: Rect | undefined,
  viewport: Viewport,
  before: Size,
  after: Size,
  fit: { padding: number; maxZoom: number } = { padding: 0.2, maxZoom: 1.1 },
  focus?: Rect,
): ViewAfterResize {
  if (before.width === 0 || before.height === 0 || (before.width === after.width && before.height === after.height)) return { kind: "none" };
  const { x, y, zoom } = viewport;
  if (bounds) {
    const left = -x / zoom;
    const top = -y / zoom;
    const wholeFlowInView = bounds.x >= left && bounds.y >= top && bounds.x + bounds.width <= left + before.width / zoom && bounds.y + bounds.height <= top + before.height / zoom;
    if (wholeFlowInView) {
      if (!focus || fitZoom(bounds, after, fit.padding, fit.maxZoom) >= READABLE_ZOOM) return { kind: "fit" };
      // Comfortable rather than merely readable, and the neighbours partly in view.
      const zoom = Math.max(READABLE_ZOOM, Math.min(FOCUS_ZOOM, fitZoom(focus, after, fit.padding, fit.maxZoom)));
      const cx = focus.x + focus.width / 2;
      const cy = focus.y + focus.height / 2;
      return { kind: "focus", viewport: { x: after.width / 2 - cx * zoom, y: after.height / 2 - cy * zoom, zoom } };
    }
  }
  return { kind: "keep-centre", viewport: { x: x + (after.width - before.width) / 2, y: y + (after.height - before.height) / 2, zoom } };
}

/** Applies `viewAfterResize` to the canvas whose element `container` holds. */
export function useViewFollowsResize(container: RefObject<HTMLElement | null>, fitOptions: { padding: number; maxZoom: number; minZoom?: number }): void {
  const { getNodes, getNodesBounds, getViewport, setViewport, fitView } = useReactFlow();
  const { padding, maxZoom, minZoom } = fitOptions;
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    let last: Size = { width: element.clientWidth, height: element.clientHeight };
    const observer = new ResizeObserver(() => {
      const size: Size = { width: element.clientWidth, height: element.clientHeight };
      const nodes = getNodes();
      const selected = nodes.filter((n) => n.selected);
      const bounds = nodes.length > 0 ? getNodesBounds(nodes) : undefined;
      const next = viewAfterResize(bounds, getViewport(), last, size, { padding, maxZoom }, selected.length > 0 ? getNodesBounds(selected) : undefined);
      last = size;
      if (next.kind === "fit") void fitView({ padding, maxZoom, minZoom });
      else if (next.kind !== "none") void setViewport(next.viewport);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [container, getNodes, getNodesBounds, getViewport, setViewport, fitView, padding, maxZoom, minZoom]);
}
