import { afterEach, describe, expect, it } from "vitest";
import { cachedPlanCount, compileFlow, forgetPlan, getPlan, peekPlan } from "./compile";
import { FlowError } from "./errors";
import { buildFlow, httpTrigger } from "./testing/flow-builder";
import { loadExampleFlow } from "@/flows/examples";

afterEach(() => forgetPlan());

describe("compileFlow", () => {
  it("orders nodes topologically with the trigger first and links each node to its inputs", () => {
    const flow = buildFlow({
      nodes: [["b", "respond", {}], httpTrigger(), ["a", "branch", { condition: "x" }], ["c", "respond", { status: "FAILED", errorCode: "NO" }]],
      edges: [{ source: "trigger", target: "a" }, { source: "a", target: "b", sourcePort: "true" }, { source: "a", target: "c", sourcePort: "false" }],
    });
    const plan = compileFlow(flow, { versionId: "v1" });
    expect(plan.nodes.map((n) => n.id)).toEqual(["trigger", "a", "b", "c"]);
    expect(plan.nodes[2]!.incoming).toEqual([{ from: 1, port: "true" }]);
    expect(plan.nodes[3]!.incoming).toEqual([{ from: 1, port: "false" }]);
    expect(plan.info).toEqual({ slug: "test-flow", name: "Test flow", direction: "incoming", versionId: "v1" });
    expect(plan.batch).toBe(false);
  });

  it("knows batch flows from their trigger", () => {
    expect(compileFlow(loadExampleFlow("attendance-import")).batch).toBe(true);
  });

  it("refuses an invalid flow with every graph error attached", () => {
    const flow = buildFlow({ nodes: [httpTrigger(), ["m", "map", { expression: "a +" }], ["x", "teleport", {}]] });
    let error: FlowError | undefined;
    try {
      compileFlow(flow);
    } catch (err) {
      error = err as FlowError;
    }
    expect(error).toBeInstanceOf(FlowError);
    expect(error!.code).toBe("INTERNAL_ERROR");
    expect(error!.message).toMatch(/^Flow "test-flow" is not valid \(2 problems; first: m: /);
    expect((error!.details.graphErrors as { code: string }[]).map((e) => e.code)).toEqual(["EXPRESSION_SYNTAX", "UNKNOWN_NODE_TYPE"]);
  });

  it("applies each node's config defaults", async () => {
    const plan = compileFlow(buildFlow({ nodes: [httpTrigger(), ["send", "send", { connection: "c", path: "/x" }]] }));
    const { execute } = await import("./execute");
    const result = await execute(plan, {}, { mode: "dry" });
    expect(result.requests[0]).toMatchObject({ method: "POST", timeoutMs: 10000, headers: {} });
  });
});

describe("getPlan", () => {
  const flow = buildFlow({ nodes: [httpTrigger()] });

  it("compiles once per version id", () => {
    const first = getPlan("version-1", flow);
    expect(getPlan("version-1", flow)).toBe(first);
    expect(peekPlan("version-1")).toBe(first);
    expect(getPlan("version-2", flow)).not.toBe(first);
    expect(peekPlan("version-3")).toBeUndefined();
  });

  it("accepts a loader that only runs on a miss", () => {
    let loads = 0;
    const load = () => {
      loads++;
      return flow;
    };
    getPlan("lazy", load);
    getPlan("lazy", load);
    expect(loads).toBe(1);
  });

  it("is bounded, evicting the least recently used plan", () => {
    const keep = getPlan("keep", flow);
    for (let i = 0; i < 300; i++) {
      getPlan(`v${i}`, flow);
      if (i % 50 === 0) getPlan("keep", flow);
    }
    expect(cachedPlanCount()).toBe(256);
    expect(peekPlan("keep")).toBe(keep);
    expect(peekPlan("v0")).toBeUndefined();
  });
});
