import { describe, expect, it } from "vitest";
import { buildFlow, httpTrigger, type NodeSpec } from "@/flows/runtime/testing/flow-builder";
import { demoCatalog } from "@/flows/runtime/testing/fixtures";
import { loadExampleFlows } from "./examples";
import { parseFlow } from "./format";
import { GRAPH_ERROR_CODES, validateGraph, type GraphErrorCode } from "./validate-graph";

const map: NodeSpec = ["map", "map", { expression: '{"A": a}' }];
const respond: NodeSpec = ["respond", "respond", {}];

function codes(flow: Parameters<typeof validateGraph>[0], catalog = {}): GraphErrorCode[] {
  return validateGraph(flow, catalog).map((e) => e.code);
}

describe("validateGraph", () => {
  const seen = new Set<GraphErrorCode>();
  const expectOnly = (flow: Parameters<typeof validateGraph>[0], code: GraphErrorCode, catalog = {}) => {
    const errors = validateGraph(flow, catalog);
    expect(errors.map((e) => e.code)).toEqual([code]);
    seen.add(code);
    return errors[0]!;
  };

  it("accepts every example flow, catalogue names included", () => {
    for (const flow of loadExampleFlows()) expect(validateGraph(flow, demoCatalog), flow.slug).toEqual([]);
  });

  it("DUPLICATE_NODE_ID", () => {
    const flow = buildFlow({ nodes: [httpTrigger(), map, respond] });
    flow.nodes.push({ ...flow.nodes[1]! });
    expect(expectOnly(flow, "DUPLICATE_NODE_ID")).toMatchObject({ nodeId: "map", path: ["id"] });
  });

  it("UNKNOWN_NODE_TYPE", () => {
    const flow = buildFlow({ nodes: [httpTrigger(), ["x", "teleport", {}]] });
    expect(expectOnly(flow, "UNKNOWN_NODE_TYPE")).toMatchObject({ nodeId: "x", path: ["type"] });
  });

  it("NO_TRIGGER", () => {
    expect(expectOnly(buildFlow({ nodes: [map, respond] }), "NO_TRIGGER")).toMatchObject({ nodeId: null });
  });

  it("MULTIPLE_TRIGGERS", () => {
    const flow = buildFlow({ nodes: [httpTrigger(), ["second", "trigger.http", { slug: "other" }], map], edges: [{ source: "trigger", target: "map" }, { source: "second", target: "map" }] });
    expect(expectOnly(flow, "MULTIPLE_TRIGGERS")).toMatchObject({ nodeId: "second" });
  });

  it("TRIGGER_DIRECTION_MISMATCH", () => {
    const flow = buildFlow({ direction: "outgoing", nodes: [httpTrigger(), map] });
    expect(expectOnly(flow, "TRIGGER_DIRECTION_MISMATCH")).toMatchObject({ nodeId: "trigger", path: ["type"] });
  });

  it("NODE_DIRECTION_MISMATCH: respond in an outgoing flow, or auth set up the other way", () => {
    const outgoing = buildFlow({ direction: "outgoing", nodes: [["trigger", "trigger.manual", { entity: "Vendor" }], respond] });
    expect(expectOnly(outgoing, "NODE_DIRECTION_MISMATCH")).toMatchObject({ nodeId: "respond" });
    const auth = buildFlow({ nodes: [httpTrigger(), ["auth", "auth", { direction: "outgoing", credential: "x" }]] });
    expect(expectOnly(auth, "NODE_DIRECTION_MISMATCH")).toMatchObject({ nodeId: "auth", path: ["config", "direction"] });
  });

  it("UNKNOWN_EDGE_NODE", () => {
    const flow = buildFlow({ nodes: [httpTrigger(), map], edges: [{ source: "trigger", target: "map" }, { source: "map", target: "ghost" }] });
    expect(expectOnly(flow, "UNKNOWN_EDGE_NODE")).toMatchObject({ nodeId: "map", path: ["edges", 1, "target"] });
  });

  it("INVALID_PORT: a port the node lacks, or an edge into a trigger", () => {
    const port = buildFlow({ nodes: [httpTrigger(), map], edges: [{ source: "trigger", target: "map", sourcePort: "true" }] });
    const error = validateGraph(port).find((e) => e.code === "INVALID_PORT");
    expect(error).toMatchObject({ nodeId: "trigger", path: ["edges", 0, "sourcePort"], message: 'No output "true"; use "out"' });
    const into = buildFlow({ nodes: [httpTrigger(), map], edges: [{ source: "trigger", target: "map" }, { source: "map", target: "trigger" }] });
    expect(codes(into)).toContain("INVALID_PORT");
    seen.add("INVALID_PORT");
  });

  it("DUPLICATE_EDGE", () => {
    const flow = buildFlow({ nodes: [httpTrigger(), map], edges: [{ source: "trigger", target: "map" }, { source: "trigger", target: "map", sourcePort: "out" }] });
    expectOnly(flow, "DUPLICATE_EDGE");
  });

  it("CYCLE, naming the loop", () => {
    const flow = buildFlow({
      nodes: [httpTrigger(), map, ["map2", "map", { expression: "$" }]],
      edges: [{ source: "trigger", target: "map" }, { source: "map", target: "map2" }, { source: "map2", target: "map" }],
    });
    expect(expectOnly(flow, "CYCLE")).toMatchObject({ nodeId: "map", message: "Cycle: map → map2 → map" });
  });

  it("UNREACHABLE_NODE", () => {
    const flow = buildFlow({ nodes: [httpTrigger(), map, respond], edges: [{ source: "trigger", target: "map" }] });
    expect(expectOnly(flow, "UNREACHABLE_NODE")).toMatchObject({ nodeId: "respond" });
  });

  it("INVALID_CONFIG with the path inside the node", () => {
    const flow = buildFlow({ nodes: [httpTrigger({ mode: "sometimes" }), ["store", "store", { entity: "Vendor", mode: "upsert" }]] });
    const errors = validateGraph(flow);
    expect(errors).toEqual([
      expect.objectContaining({ nodeId: "trigger", code: "INVALID_CONFIG", path: ["config", "mode"] }),
      expect.objectContaining({ nodeId: "store", code: "INVALID_CONFIG", path: ["config", "keyField"] }),
    ]);
    seen.add("INVALID_CONFIG");
  });

  it("EXPRESSION_SYNTAX with line and column", () => {
    const flow = buildFlow({ nodes: [httpTrigger(), ["map", "map", { expression: '{\n  "A": a,\n  "B": b c\n}' }]] });
    const error = expectOnly(flow, "EXPRESSION_SYNTAX");
    expect(error).toMatchObject({ nodeId: "map", path: ["config", "expression"], line: 3, column: 10 });
    expect(error.message).toContain("line 3, column 10");
  });

  it("EXPRESSION_SYNTAX in the flow's order key, pointing at options.orderKey", () => {
    const flow = buildFlow({ nodes: [httpTrigger(), map, respond] });
    flow.options = { ...flow.options, order: "per-record", orderKey: "record.Vendor_Code +" };
    const error = expectOnly(flow, "EXPRESSION_SYNTAX");
    expect(error).toMatchObject({ nodeId: null, path: ["options", "orderKey"], line: 1 });
    expect(error.message).toMatch(/^Order key: .* \(line 1, column \d+\)$/);
    flow.options.orderKey = "record.Vendor_Code";
    expect(validateGraph(flow)).toEqual([]);
  });

  it("ORDER_KEY_WITHOUT_ORDER", () => {
    const flow = buildFlow({ nodes: [httpTrigger(), map, respond] });
    flow.options = { ...flow.options, orderKey: "record.Vendor_Code" };
    expect(expectOnly(flow, "ORDER_KEY_WITHOUT_ORDER")).toMatchObject({ nodeId: null, path: ["options", "orderKey"] });
  });

  it("EXPRESSION_SYNTAX inside a validate rule's condition", () => {
    const rules = [{ field: "A", rule: "custom", condition: "$value >" }];
    const error = expectOnly(buildFlow({ nodes: [httpTrigger(), ["v", "validate", { rules }]] }), "EXPRESSION_SYNTAX");
    expect(error.path).toEqual(["config", "rules", 0, "condition"]);
  });

  it("INVALID_REGEX", () => {
    const rules = [{ field: "A", rule: "regex", pattern: "([A-Z" }];
    expect(expectOnly(buildFlow({ nodes: [httpTrigger(), ["v", "validate", { rules }]] }), "INVALID_REGEX").path).toEqual(["config", "rules", 0, "pattern"]);
  });

  it("INVALID_REGEX for a rule pattern the linear-time engine cannot run, naming node, field and why", () => {
    const rules = [
      { field: "A", rule: "required" },
      { field: "Code", rule: "regex", pattern: "^(\\w)\\1$" },
    ];
    const error = expectOnly(buildFlow({ nodes: [httpTrigger(), ["check", "validate", { rules }]] }), "INVALID_REGEX");
    expect(error).toMatchObject({ nodeId: "check", path: ["config", "rules", 1, "pattern"] });
    expect(error.message).toMatch(/^Backreference \\1 is not supported: Flowport matches regular expressions in linear time \(RE2\)/);
  });

  it("INVALID_REGEX for a regex literal in an expression, found in its syntax tree, with line and column", () => {
    const expression = '{\n  "A": $match(a, /x(?=y)/i),\n  "B": "/(?=not a regex)/"\n}';
    const error = expectOnly(buildFlow({ nodes: [httpTrigger(), ["map", "map", { expression }]] }), "INVALID_REGEX");
    expect(error).toMatchObject({ nodeId: "map", path: ["config", "expression"], line: 2, column: 18 });
    expect(error.message).toBe(
      "Regular expression /x(?=y)/i: Lookahead (?=…) is not supported: Flowport matches regular expressions in linear time (RE2), which rules out backreferences, lookahead and lookbehind (line 2, column 18)",
    );
    // Inside a validate rule's condition too, and a catastrophic but supported pattern passes.
    const rules = [{ field: "A", rule: "custom", condition: "$contains($value, /(a)\\1/)" }, { field: "B", rule: "regex", pattern: "^(a+)+$" }];
    const inRule = expectOnly(buildFlow({ nodes: [httpTrigger(), ["v", "validate", { rules }]] }), "INVALID_REGEX");
    expect(inRule.path).toEqual(["config", "rules", 0, "condition"]);
  });

  describe("catalogue references", () => {
    const rules = (entity: string, field: string, master: string) => [
      { field, rule: "unique", entity },
      { field: "City", rule: "exists", master },
    ];
    it("UNKNOWN_ENTITY, UNKNOWN_FIELD, UNKNOWN_MASTER", () => {
      const entity = buildFlow({ nodes: [httpTrigger(), ["v", "validate", { rules: rules("Vendr", "GST_No", "City") }]] });
      expect(expectOnly(entity, "UNKNOWN_ENTITY", demoCatalog).path).toEqual(["config", "rules", 0, "entity"]);
      const field = buildFlow({ nodes: [httpTrigger(), ["v", "validate", { rules: rules("Vendor", "GSTIN", "City") }]] });
      expect(expectOnly(field, "UNKNOWN_FIELD", demoCatalog).message).toBe('Vendor has no field "GSTIN"');
      const master = buildFlow({ nodes: [httpTrigger(), ["v", "validate", { rules: rules("Vendor", "GST_No", "Town") }]] });
      expectOnly(master, "UNKNOWN_MASTER", demoCatalog);
    });

    it("UNKNOWN_CONNECTION and UNKNOWN_CREDENTIAL", () => {
      const flow = buildFlow({
        direction: "outgoing",
        nodes: [
          ["trigger", "trigger.manual", { entity: "Invoice" }],
          ["auth", "auth", { direction: "outgoing", credential: "nope" }],
          ["send", "send", { connection: "nowhere", path: "/x" }],
        ],
      });
      expect(codes(flow, demoCatalog)).toEqual(["UNKNOWN_CREDENTIAL", "UNKNOWN_CONNECTION"]);
      seen.add("UNKNOWN_CREDENTIAL").add("UNKNOWN_CONNECTION");
    });

    it("skips name checks without a catalogue", () => {
      const flow = buildFlow({ nodes: [httpTrigger(), ["s", "store", { entity: "Anything" }]] });
      expect(validateGraph(flow)).toEqual([]);
      expect(codes(flow, demoCatalog)).toEqual(["UNKNOWN_ENTITY"]);
    });
  });

  it("covers every error code", () => {
    expect([...seen].sort()).toEqual([...GRAPH_ERROR_CODES].sort());
  });

  it("works on a flow read straight from JSON", () => {
    const flow = parseFlow({ formatVersion: 1, slug: "x", name: "x", direction: "incoming", nodes: [], edges: [] });
    expect(codes(flow)).toEqual(["NO_TRIGGER"]);
  });
});
