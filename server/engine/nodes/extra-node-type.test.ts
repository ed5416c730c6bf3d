/**
 * "Add a node type" (README), proven: a node type from a fixture folder (fixtures/uppercase:
 * definition, inspector labels, executor), registered with one call, is known to graph validation,
 * the designer's palette, new-node defaults and inspector labels, and runs in the real engine — a
 * dry run on the real database — with no other file changed.
 */
import { describe, expect, it } from "vitest";
import type { FlowFile } from "@/flows/format";
import { getNodeDefinition, nodePalette } from "@/flows/nodes/registry";
import { validateGraph } from "@/flows/validate-graph";
import { addNode } from "@/app/components/designer/canvas/graph-edits";
import { presentField } from "@/app/components/designer/inspector/field-kinds";
import { registerNodeType } from "@/server/engine/executors";
import { buildFlow, httpTrigger, type FlowSpec } from "@/server/engine/testing/flow-builder";
import { dryRunFlow } from "@/server/flows/dry-run";
import { findRecordByField } from "@/server/records/store";
import { useTestDatabase } from "@/server/testing/database";
import { uppercaseDefinition } from "./fixtures/uppercase/definition";
import { uppercaseExecutor } from "./fixtures/uppercase/run";

const database = useTestDatabase();

const spec = (config: Record<string, unknown>): FlowSpec => ({
  nodes: [httpTrigger(), ["upper", "uppercase", config], ["store", "store", { entity: "Vendor" }], ["respond", "respond", {}]],
});
const codes = (flow: FlowFile) => validateGraph(flow).map((e) => `${e.nodeId}:${e.code}:${e.path.join(".")}`);

describe("a node type added as one folder plus one registration", () => {
  it("is unknown before it is registered, then validated, offered and labelled like a built-in", () => {
    expect(codes(buildFlow(spec({ fields: ["GST_No"] })))).toContain("upper:UNKNOWN_NODE_TYPE:type");

    registerNodeType(uppercaseDefinition, uppercaseExecutor);

    expect(codes(buildFlow(spec({ fields: ["GST_No"] })))).toEqual([]);
    expect(codes(buildFlow(spec({ fields: [] })))).toEqual(["upper:INVALID_CONFIG:config.fields"]);
    expect(getNodeDefinition("uppercase")?.summarize({ fields: ["GST_No", "PAN_No"] })).toBe("upper-case GST_No, PAN_No");
    expect(nodePalette().find((g) => g.category === "Transform")?.nodes.map((d) => d.type)).toContain("uppercase");
    expect(presentField("uppercase", "fields")).toEqual({ label: "Fields to upper-case", help: "Text fields of the input, e.g. GST_No or PAN_No." });
    // The built-ins' labels come from their folders the same way (flows/nodes/store/inspector.ts).
    expect(presentField("store", "keyField")).toMatchObject({ label: "Key field", picker: "entityField" });
    const dropped = addNode(buildFlow(spec({ fields: ["GST_No"] })), "uppercase", { x: 0, y: 0 });
    expect(dropped.flow.nodes.find((n) => n.id === dropped.id)).toMatchObject({ type: "uppercase", name: "Upper-case", config: { fields: [] } });
    expect(() => registerNodeType(uppercaseDefinition, uppercaseExecutor)).toThrow('Node type "uppercase" is already registered');
  });

  it("runs in the real engine: a dry run on the real database saves the upper-cased record and keeps nothing", async () => {
    if (!getNodeDefinition("uppercase")) registerNodeType(uppercaseDefinition, uppercaseExecutor);
    const payload = { Vendor_Name: "Shree Cement", GST_No: "27aafcs1234m1z9" };
    const result = await dryRunFlow(database().sql, buildFlow(spec({ fields: ["GST_No"] })), { payload });
    expect(result).toMatchObject({ outcome: "SUCCESS", httpStatus: 200, mode: "dry" });
    expect(result.trace.find((t) => t.nodeId === "upper")).toMatchObject({
      status: "success",
      note: "1 field upper-cased",
      output: { Vendor_Name: "Shree Cement", GST_No: "27AAFCS1234M1Z9" },
    });
    expect(result.trace.find((t) => t.nodeId === "store")?.output).toMatchObject({ record: { GST_No: "27AAFCS1234M1Z9" } });
    expect(await findRecordByField(database().sql, "Vendor", "GST_No", "27AAFCS1234M1Z9")).toBeUndefined();
  });
});
