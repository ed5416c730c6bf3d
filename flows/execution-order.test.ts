import { describe, expect, it } from "vitest";
import { loadExampleFlow } from "./examples";
import { inExecutionOrder } from "./execution-order";

describe("inExecutionOrder", () => {
  it("lists a run's nodes in the order the engine runs them, not the order they were created", () => {
    const flow = loadExampleFlow("vendor-master");
    // Created last-first: as a flow built by dragging from the respond end backwards would be.
    const created = { ...flow, nodes: [...flow.nodes].reverse() };
    expect(created.nodes[0]!.id).toBe("respond");
    expect(inExecutionOrder(created, created.nodes.map((n) => n.id))).toEqual(["trigger", "auth", "map", "validate", "store", "respond"]);
  });

  it("keeps only the ids the run reported, and puts ids the graph does not reach (a deleted node) last", () => {
    const flow = loadExampleFlow("lead-enquiry");
    expect(inExecutionOrder(flow, ["reject", "gone", "has-contact", "trigger", "map", "auth"])).toEqual(["trigger", "auth", "map", "has-contact", "reject", "gone"]);
  });
});
