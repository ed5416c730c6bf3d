import { describe, expect, it } from "vitest";
import { freeSpot, type Box } from "./free-spot";

const size = { width: 200, height: 64 };
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe("freeSpot", () => {
  it("keeps the preferred point when nothing is there", () => {
    expect(freeSpot([{ x: 0, y: 0, ...size }], { x: 500, y: 300 }, size)).toEqual({ x: 500, y: 300 });
  });

  it("moves off a card that sits on the preferred point, to the nearest free cell", () => {
    const occupied = [{ x: 100, y: 100, ...size }];
    const spot = freeSpot(occupied, { x: 110, y: 110 }, size);
    expect(overlap({ ...spot, ...size }, occupied[0]!)).toBe(false);
    // One step away, not across the canvas.
    expect(Math.hypot(spot.x - 110, spot.y - 110)).toBeLessThanOrEqual(size.width + 24);
  });

  it("adds ten cards at the same point without any two overlapping", () => {
    const boxes: Box[] = [];
    for (let i = 0; i < 10; i++) boxes.push({ ...freeSpot(boxes, { x: 0, y: 0 }, size), ...size });
    for (let a = 0; a < boxes.length; a++) for (let b = a + 1; b < boxes.length; b++) expect(overlap(boxes[a]!, boxes[b]!), `${a} ${b}`).toBe(false);
  });
});
