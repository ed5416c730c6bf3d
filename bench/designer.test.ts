import { describe, expect, it } from "vitest";
import { validateGraph } from "../flows/validate-graph";
import { entityCatalog } from "../flows/erp/entities";
import { largeFlow } from "./designer-flow";

describe("the designer benchmark's flow", () => {
  it("has exactly 150 nodes and is a valid flow", () => {
    const flow = largeFlow(150);
    expect(flow.nodes).toHaveLength(150);
    expect(validateGraph(flow, entityCatalog())).toEqual([]);
  });
});
