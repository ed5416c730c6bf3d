import { getViewportForBounds } from "@xyflow/react";
import { describe, expect, it } from "vitest";
import { FIT_VIEW, fitPadding } from "./fit-view";

// vendor-master's six cards after auto layout: three columns of two.
const bounds = { x: 0, y: 0, width: 700, height: 200 };
const size = { width: 1320, height: 560 };

/** Where the fitted bounds land on screen. */
function landed(padding: ReturnType<typeof fitPadding> | number) {
  const { x, y, zoom } = getViewportForBounds(bounds, size.width, size.height, FIT_VIEW.minZoom, FIT_VIEW.maxZoom, padding);
  return { left: x, right: x + bounds.width * zoom, top: y, bottom: y + bounds.height * zoom, zoom };
}

describe("fitPadding", () => {
  it("is React Flow's fractional padding when nothing covers the canvas", () => {
    expect(landed(fitPadding(size, 0))).toEqual(landed(0.2));
  });

  it("fits the flow into the part a sheet over the right side leaves visible", () => {
    const sheet = 760;
    const visibleRight = size.width - sheet;
    const fitted = landed(fitPadding(size, sheet));
    expect(fitted.right).toBeLessThanOrEqual(visibleRight);
    expect(fitted.left).toBeGreaterThanOrEqual(0);
    // Centred in the visible part, with the same margin on both sides.
    expect(Math.abs(fitted.left - (visibleRight - fitted.right))).toBeLessThanOrEqual(1);
    // Without it, the right-hand cards would be under the sheet.
    expect(landed(0.2).right).toBeGreaterThan(visibleRight);
  });

  it("treats a negative overlap (a sheet beside the canvas) as none, and never more than the canvas", () => {
    expect(fitPadding(size, -40)).toEqual(fitPadding(size, 0));
    expect(fitPadding(size, 5000)).toEqual({ top: "46px", bottom: "46px", left: "0px", right: `${size.width}px` });
  });
});
