import { describe, expect, it } from "vitest";
import { viewAfterResize } from "./view-after-resize";

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
});
