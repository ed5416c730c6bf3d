import { describe, expect, it } from "vitest";
import { READABLE_ZOOM, viewAfterResize } from "./view-after-resize";

const flow = { x: 0, y: 0, width: 1000, height: 100 };

describe("the canvas view when the canvas changes size", () => {
  it("fits the whole flow again when the whole flow was in view", () => {
    // Zoom 0.5 at the origin shows 0..1600 × 0..800 of a 800 × 400 canvas: the flow is inside.
    expect(viewAfterResize(flow, { x: 0, y: 0, zoom: 0.5 }, { width: 800, height: 400 }, { width: 500, height: 400 })).toEqual({ kind: "fit" });
  });

  it("keeps the centre of a zoomed-in view where it was", () => {
    expect(viewAfterResize(flow, { x: -400, y: 0, zoom: 1 }, { width: 800, height: 400 }, { width: 500, height: 300 })).toEqual({
      kind: "keep-centre",
      viewport: { x: -550, y: -50, zoom: 1 },
    });
  });

  it("does nothing before the canvas has a size, or when the size did not change", () => {
    expect(viewAfterResize(flow, { x: 0, y: 0, zoom: 1 }, { width: 0, height: 0 }, { width: 500, height: 300 })).toEqual({ kind: "none" });
    expect(viewAfterResize(flow, { x: 0, y: 0, zoom: 1 }, { width: 500, height: 300 }, { width: 500, height: 300 })).toEqual({ kind: "none" });
  });

  it("keeps the centre of an empty canvas", () => {
    expect(viewAfterResize(undefined, { x: 10, y: 20, zoom: 2 }, { width: 800, height: 400 }, { width: 600, height: 400 })).toEqual({
      kind: "keep-centre",
      viewport: { x: -90, y: 20, zoom: 2 },
    });
  });

  it("centres the selected node at a readable zoom when fitting the whole flow would make cards unreadable", () => {
    // A 2,000-wide flow in a 500-wide canvas fits at about 0.2: the selected card is centred at 0.6 instead.
    const long = { x: 0, y: 0, width: 2000, height: 100 };
    const selected = { x: 1200, y: 0, width: 240, height: 76 };
    const next = viewAfterResize(long, { x: 0, y: 0, zoom: 0.4 }, { width: 900, height: 400 }, { width: 500, height: 400 }, { padding: 0.2, maxZoom: 1.1 }, selected);
    expect(next.kind).toBe("focus");
    const { x, y, zoom } = (next as { viewport: { x: number; y: number; zoom: number } }).viewport;
    expect(zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    // The selected card's centre is the canvas's centre.
    expect(x + (1200 + 120) * zoom).toBeCloseTo(250);
    expect(y + 38 * zoom).toBeCloseTo(200);
  });

  it("still fits a flow that stays readable, and fits when nothing is selected", () => {
    const long = { x: 0, y: 0, width: 2000, height: 100 };
    const selected = { x: 0, y: 0, width: 240, height: 76 };
    expect(viewAfterResize(flow, { x: 0, y: 0, zoom: 0.5 }, { width: 800, height: 400 }, { width: 900, height: 400 }, undefined, selected)).toEqual({ kind: "fit" });
    expect(viewAfterResize(long, { x: 0, y: 0, zoom: 0.4 }, { width: 900, height: 400 }, { width: 500, height: 400 })).toEqual({ kind: "fit" });
  });
});
