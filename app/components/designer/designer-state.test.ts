import { describe, expect, it } from "vitest";
import { loadExampleFlow } from "@/flows/examples";
import { addNode, updateNode } from "./canvas/graph-edits";
import { canRedo, canUndo, designerReducer, initialDesignerState } from "./designer-state";

const vendor = loadExampleFlow("vendor-master");

describe("designer state", () => {
  it("undoes and redoes edits in order, and a new edit clears redo", () => {
    let s = initialDesignerState(vendor);
    const a = addNode(s.flow, "branch", { x: 0, y: 0 }).flow;
    s = designerReducer(s, { type: "edit", flow: a });
    const b = updateNode(a, "branch", { name: "Check" });
    s = designerReducer(s, { type: "edit", flow: b });
    expect(s.flow.nodes.at(-1)?.name).toBe("Check");
    s = designerReducer(s, { type: "undo" });
    expect(s.flow).toBe(a);
    s = designerReducer(s, { type: "undo" });
    expect(s.flow).toBe(vendor);
    expect(canUndo(s)).toBe(false);
    s = designerReducer(s, { type: "redo" });
    expect(s.flow).toBe(a);
    s = designerReducer(s, { type: "edit", flow: updateNode(a, "map", { name: "Other" }) });
    expect(canRedo(s)).toBe(false);
  });

  it("coalesces consecutive edits with one key into one undo step", () => {
    let s = initialDesignerState(vendor);
    for (const name of ["V", "Ve", "Ven"]) {
      s = designerReducer(s, { type: "edit", flow: updateNode(s.flow, "map", { name }), coalesce: "name:map" });
    }
    expect(s.past).toHaveLength(1);
    s = designerReducer(s, { type: "undo" });
    expect(s.flow.nodes.find((n) => n.id === "map")?.name).toBe("Map to ERP fields");
  });

  it("drops a selected node from the selection when undo removes it", () => {
    let s = initialDesignerState(vendor);
    const { flow, id } = addNode(s.flow, "lookup", { x: 0, y: 0 });
    s = designerReducer(s, { type: "edit", flow });
    s = designerReducer(s, { type: "select", ids: [id, "map"] });
    s = designerReducer(s, { type: "undo" });
    expect(s.selection).toEqual(["map"]);
  });

  it("starts on the flow's first sample", () => {
    expect(initialDesignerState(vendor).currentSample).toBe("Seed sample (§3.3)");
  });
});
