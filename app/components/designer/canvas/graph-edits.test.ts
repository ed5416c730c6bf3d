import { describe, expect, it } from "vitest";
import { loadExampleFlow } from "@/flows/examples";
import { validateGraph } from "@/flows/validate-graph";
import { layoutPositions, NODE_HEIGHT, NODE_WIDTH } from "./auto-layout";
import { addNode, connect, copyNodes, edgeKey, nextNodeId, pasteNodes, removeEdges, removeNodes } from "./graph-edits";

const vendor = loadExampleFlow("vendor-master");

describe("graph edits", () => {
  it("names new nodes after their type, numbering repeats", () => {
    expect(nextNodeId(vendor, "map")).toBe("map2");
    expect(nextNodeId(vendor, "branch")).toBe("branch");
    expect(nextNodeId(vendor, "trigger.event")).toBe("trigger2");
  });

  it("drops a node with its definition's defaults; an http trigger takes the flow's slug", () => {
    const empty = { ...vendor, nodes: [], edges: [] };
    const { flow, id } = addNode(empty, "trigger.http", { x: 10.4, y: 20.6 });
    expect(flow.nodes[0]).toMatchObject({ id, type: "trigger.http", name: "HTTP endpoint", position: { x: 10, y: 21 }, config: { slug: "vendor-master" } });
  });

  it("an auth node dropped into an outgoing flow starts as outgoing", () => {
    const outgoing = loadExampleFlow("invoice-to-accounting");
    const { flow, id } = addNode(outgoing, "auth", { x: 0, y: 0 });
    expect(flow.nodes.find((n) => n.id === id)?.config).toEqual({ direction: "outgoing", credential: "" });
  });

  it("connects once, never to itself, and removing a node removes its edges", () => {
    const { flow: withBranch } = addNode(vendor, "branch", { x: 0, y: 0 });
    const a = connect(withBranch, "validate", "out", "branch");
    expect(connect(a, "validate", "out", "branch")).toBe(a);
    expect(connect(a, "branch", "true", "branch")).toBe(a);
    const b = connect(a, "branch", "true", "store");
    expect(b.edges.at(-1)).toEqual({ source: "branch", target: "store", sourcePort: "true" });
    const c = removeNodes(b, ["branch"]);
    expect(c.edges).toEqual(vendor.edges);
    expect(removeEdges(vendor, [edgeKey(vendor.edges[0]!)]).edges).toHaveLength(vendor.edges.length - 1);
  });

  it("copy and paste keeps inner edges under fresh ids", () => {
    const clip = copyNodes(vendor, ["map", "validate"])!;
    expect(clip.edges).toEqual([{ source: "map", target: "validate" }]);
    const { flow, ids } = pasteNodes(vendor, clip);
    expect(ids).toEqual(["map2", "validate2"]);
    expect(flow.edges.at(-1)).toEqual({ source: "map2", target: "validate2" });
    const validate = vendor.nodes.find((n) => n.id === "validate")!.position;
    expect(flow.nodes.at(-1)?.position).toEqual({ x: validate.x + 40, y: validate.y + 40 });
  });

  it("lays a flow out in data order, read like text: left to right, a long chain wrapping into balanced rows", () => {
    const positions = layoutPositions(vendor);
    const at = (id: string) => positions.get(id)!;
    // Six in a chain: two rows of three.
    const rows = [["trigger", "auth", "map"], ["validate", "store", "respond"]];
    for (const row of rows) {
      expect(new Set(row.map((id) => at(id).y)).size).toBe(1);
      const xs = row.map((id) => at(id).x);
      expect([...xs].sort((p, q) => p - q)).toEqual(xs);
      expect(xs[1]! - xs[0]!).toBeGreaterThanOrEqual(NODE_WIDTH);
    }
    expect(at("validate").y - at("trigger").y).toBeGreaterThanOrEqual(NODE_HEIGHT);
    expect(at("validate").x).toBe(at("trigger").x);
    expect(validateGraph(vendor)).toEqual([]);
  });

  it("keeps a ten-node chain within four cards' width (readable at zoom 0.6 beside the inspector at 1440×900)", () => {
    const ids = Array.from({ length: 10 }, (_, i) => `n${i}`);
    const chain = {
      nodes: ids.map((id) => ({ ...vendor.nodes[2]!, id, position: { x: 0, y: 0 } })),
      edges: ids.slice(1).map((id, i) => ({ source: ids[i]!, target: id })),
    };
    const positions = [...layoutPositions(chain).values()];
    const width = Math.max(...positions.map((p) => p.x)) + NODE_WIDTH - Math.min(...positions.map((p) => p.x));
    const height = Math.max(...positions.map((p) => p.y)) + NODE_HEIGHT - Math.min(...positions.map((p) => p.y));
    expect(width).toBeLessThanOrEqual(4 * NODE_WIDTH + 3 * 60);
    expect(new Set(positions.map((p) => p.y)).size).toBe(3);
    expect(height).toBeLessThan(width);
    // No two cards overlap.
    for (let a = 0; a < positions.length; a++)
      for (let b = a + 1; b < positions.length; b++) {
        const [p, q] = [positions[a]!, positions[b]!];
        expect(Math.abs(p.x - q.x) >= NODE_WIDTH || Math.abs(p.y - q.y) >= NODE_HEIGHT).toBe(true);
      }
  });

  it("lays unconnected nodes in a grid in pipeline order (rows of three), not stacked in one column", () => {
    // Dropped in a jumble, as an analyst drags them from the palette.
    const dropped = { ...vendor, edges: [], nodes: [...vendor.nodes].reverse().map((n, i) => ({ ...n, position: { x: (i % 3) * 60, y: i * 70 } })) };
    const positions = layoutPositions(dropped);
    const at = (id: string) => positions.get(id)!;
    const rows = [["trigger", "auth", "map"], ["validate", "store", "respond"]];
    for (const row of rows) {
      expect(new Set(row.map((id) => at(id).y)).size).toBe(1);
      const xs = row.map((id) => at(id).x);
      expect([...xs].sort((p, q) => p - q)).toEqual(xs);
      expect(xs[1]! - xs[0]!).toBeGreaterThanOrEqual(NODE_WIDTH);
    }
    expect(at("validate").y - at("trigger").y).toBeGreaterThanOrEqual(NODE_HEIGHT);
  });

  it("keeps a connected flow's order when an unconnected node is added", () => {
    const extra = { ...vendor, nodes: [...vendor.nodes, { ...vendor.nodes.find((n) => n.id === "respond")!, id: "respond2" }] };
    const positions = layoutPositions(extra);
    // In reading order: row by row, left to right.
    const keys = ["trigger", "auth", "map", "validate", "store", "respond"].map((id) => positions.get(id)!.y * 100_000 + positions.get(id)!.x);
    expect([...keys].sort((p, q) => p - q)).toEqual(keys);
    // Below the connected flow, not on top of it.
    const lowest = Math.max(...vendor.nodes.map((n) => positions.get(n.id)!.y));
    expect(positions.get("respond2")!.y).toBeGreaterThanOrEqual(lowest + NODE_HEIGHT);
  });
});
