/** The trigger.http node type (flows/nodes/trigger.http), run through the real engine: single bodies and batches. */
import { describe, expect, it } from "vitest";
import { httpTrigger, runFlow, type FlowSpec } from "@/server/engine/testing/flow-builder";

const respond = ["respond", "respond", { message: "ok" }] as FlowSpec["nodes"][number];

describe("trigger.http executor", () => {
  it("single mode passes the body on and refuses a body that is not an object", async () => {
    const ok = await runFlow({ nodes: [httpTrigger(), respond] }, { a: 1 });
    expect(ok.trace[0]).toMatchObject({ nodeId: "trigger", status: "success", output: { a: 1 } });
    const refused = await runFlow({ nodes: [httpTrigger(), respond] }, [{ a: 1 }]);
    expect(refused).toMatchObject({ httpStatus: 400 });
    expect(refused.error).toMatchObject({ code: "VALIDATION_FAILED", nodeId: "trigger" });
    expect(JSON.stringify(refused.error)).toContain("The request body must be a JSON object");
  });

  it("batch mode runs the rest of the flow once per item of the items field", async () => {
    const spec: FlowSpec = { nodes: [httpTrigger({ mode: "batch", itemsField: "punches", maxItems: 3 }), respond] };
    const result = await runFlow(spec, { punches: [{ n: 1 }, { n: 2 }] });
    expect(result.items).toHaveLength(2);
    expect(result.items!.map((i) => i.outcome)).toEqual(["SUCCESS", "SUCCESS"]);
  });

  it("batch mode refuses a missing array, an empty one and one over maxItems", async () => {
    const spec: FlowSpec = { nodes: [httpTrigger({ mode: "batch", itemsField: "punches", maxItems: 2 }), respond] };
    for (const [body, words] of [
      [{}, '"punches" must be a JSON array of records'],
      [{ punches: [] }, '"punches" has no records'],
      [{ punches: [{}, {}, {}] }, '"punches" has 3 records; the limit is 2'],
    ] as const) {
      const result = await runFlow(spec, body);
      expect(result.error).toMatchObject({ code: "VALIDATION_FAILED", nodeId: "trigger" });
      expect(JSON.stringify(result.error)).toContain(words.replace(/"/g, '\\"'));
    }
  });
});
