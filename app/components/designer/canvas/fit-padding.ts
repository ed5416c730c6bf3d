/**
 * The padding for "Zoom to fit" when part of the canvas is covered (the wide inspector sheet lies over
 * its right side): the flow is fitted into the part left visible, with the same margin React Flow's
 * fractional padding gives (`fraction` 0.2: 1/12 of the length on each side), instead of into the whole
 * canvas, where the cards on the right would land under the sheet. Nothing covered: exactly the
 * fractional padding, in pixels.
 */
import type { FitViewOptions } from "@xyflow/react";

export type Padding = NonNullable<FitViewOptions["padding"]>;

/** React Flow's margin for a fractional padding over `length` pixels, on each side. */
function margin(length: number, fraction: number): number {
  return Math.floor((length - length / (1 + fraction)) / 2);
}

export function fitPadding(size: { width: number; height: number }, coveredRight: number, fraction = 0.2): Padding {
  const covered = Math.min(Math.max(0, coveredRight), size.width);
  const visible = size.width - covered;
  const x = margin(visible, fraction);
  const y = margin(size.height, fraction);
  return { top: `${y}px`, bottom: `${y}px`, left: `${x}px`, right: `${covered + x}px` };
}
