/**
 * How the canvas fits the flow into view. On open: the whole flow, but never below zoom 0.5 (a flow
 * too big for that opens at 0.5 on its middle). "Zoom to fit" is the user asking to see all of it:
 * the same padding and maximum, but no floor beyond the canvas's own (beside the wide sheet on a
 * 1024 px screen the strip left is narrow, and the whole flow shows small rather than in part).
 * Auto-layout keeps flows of up to ~10 nodes within four cards' width, so they fit at ≥ 0.6 on a
 * laptop. The padding keeps edge cards clear of the toolbar, the minimap and React Flow's auto-pan
 * band at the edges.
 */
import type { FitViewOptions } from "@xyflow/react";

export type Padding = NonNullable<FitViewOptions["padding"]>;

export const FIT_VIEW = { padding: 0.2, maxZoom: 1.1, minZoom: 0.5 };

/** "Zoom to fit": FIT_VIEW without its floor, animated. */
export const ZOOM_TO_FIT = { maxZoom: FIT_VIEW.maxZoom, duration: 250 };

/**
 * The padding for "Zoom to fit" when part of the canvas is covered (the wide inspector sheet lies over
 * its right side): the flow is fitted into the part left visible, with the same margin React Flow's
 * fractional padding gives (`fraction` 0.2: 1/12 of the length on each side), instead of into the whole
 * canvas, where the cards on the right would land under the sheet. Nothing covered: exactly the
 * fractional padding, in pixels.
 */
export function fitPadding(size: { width: number; height: number }, coveredRight: number, fraction = FIT_VIEW.padding): Padding {
  const covered = Math.min(Math.max(0, coveredRight), size.width);
  const visible = size.width - covered;
  const x = margin(visible, fraction);
  const y = margin(size.height, fraction);
  return { top: `${y}px`, bottom: `${y}px`, left: `${x}px`, right: `${covered + x}px` };
}

/** React Flow's margin for a fractional padding over `length` pixels, on each side. */
function margin(length: number, fraction: number): number {
  return Math.floor((length - length / (1 + fraction)) / 2);
}
