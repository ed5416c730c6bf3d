/**
 * Where a node added by clicking the palette goes: at the preferred point (beside the selected node,
 * or the middle of the view) when that is free, else at the nearest free cell of a grid of card-sized
 * steps around it, so a new card never lands on top of another one (issue 17: click-to-add dropped
 * nodes on top of each other).
 */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const overlaps = (a: Box, b: Box, gap: number) =>
  a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;

/** The top-left corner for a `size` card nearest `preferred` that keeps `gap` from every box in `occupied`. */
export function freeSpot(occupied: readonly Box[], preferred: { x: number; y: number }, size: { width: number; height: number }, gap = 24): { x: number; y: number } {
  const step = { x: size.width + gap, y: size.height + gap };
  const candidates: { x: number; y: number; distance: number }[] = [];
  // Rings of cells around the preferred point; 12 rings hold more cards than any canvas shows.
  for (let ring = 0; ring <= 12; ring++) {
    for (let i = -ring; i <= ring; i++) {
      for (let j = -ring; j <= ring; j++) {
        if (Math.max(Math.abs(i), Math.abs(j)) !== ring) continue;
        const x = preferred.x + i * step.x;
        const y = preferred.y + j * step.y;
        candidates.push({ x, y, distance: Math.hypot(i * step.x, j * step.y) });
      }
    }
  }
  // Nearest first; at equal distance right before left and below before above, so the result is stable.
  candidates.sort((a, b) => a.distance - b.distance || b.x - a.x || b.y - a.y);
  for (const c of candidates) {
    const box = { x: c.x, y: c.y, ...size };
    if (!occupied.some((o) => overlaps(box, o, gap))) return { x: c.x, y: c.y };
  }
  return preferred;
}
