/** The branch node type (flows/nodes/branch), run through the real engine: compile and execute are the server's, so these tests live here. */
import { describe, expect, it } from "vitest";
import { httpTrigger, runFlow, type FlowSpec } from "@/server/engine/testing/flow-builder";

/** trigger → branch → (true) big → respondBig ; (false) small */
const spec = (condition: string): FlowSpec => ({
  nodes: [
    httpTrigger(),
    ["branch", "branch", { condition }],
    ["big", "map", { expression: '$merge([$, {"size": "big"}])' }],
    ["respondBig", "respond", { message: "big one" }],
    ["small", "respond", { status: "FAILED", errorCode: "TOO_SMALL", message: "Too small" }],
  ],
  edges: [
    { source: "trigger", target: "branch" },
    { source: "branch", target: "big", sourcePort: "true" },
    { source: "big", target: "respondBig" },
    { source: "branch", target: "small", sourcePort: "false" },
  ],
});

describe("branch executor", () => {
  it("runs only the true path and marks the false path skipped", async () => {
    const result = await runFlow(spec("amount > 1000"), { amount: 5000 });
    const byId = Object.fromEntries(result.trace.map((t) => [t.nodeId, t]));
    expect(byId.branch).toMatchObject({ status: "success", port: "true", output: { amount: 5000 } });
    expect(byId.big).toMatchObject({ status: "success", output: { amount: 5000, size: "big" } });
    expect(byId.small).toMatchObject({ status: "skipped", durationUs: 0 });
    expect(result.response).toEqual({ status: "success", message: "big one" });
  });

  it("runs only the false path and marks the true path skipped", async () => {
    const result = await runFlow(spec("amount > 1000"), { amount: 10 });
    const statuses = Object.fromEntries(result.trace.map((t) => [t.nodeId, t.status]));
    expect(statuses).toEqual({ trigger: "success", branch: "success", big: "skipped", respondBig: "skipped", small: "success" });
    expect(result.trace.find((t) => t.nodeId === "branch")!.port).toBe("false");
    expect(result).toMatchObject({ outcome: "FAILED", httpStatus: 400, response: { errorCode: "TOO_SMALL", message: "Too small" } });
  });

  it.each([
    ["missing field", "nothing", false],
    ["empty string", '""', false],
    ["zero", "0", false],
    ["empty array", "[]", false],
    ["non-empty string", '"x"', true],
    ["array with a truthy item", "[0, 1]", true],
    ["non-empty object", '{"a": 1}', true],
  ])("follows JSONata truthiness: %s", async (_name, condition, expected) => {
    const result = await runFlow(spec(condition), {});
    expect(result.trace.find((t) => t.nodeId === "branch")!.port).toBe(String(expected));
  });

  it("fails the run when the condition cannot be evaluated", async () => {
    const result = await runFlow(spec('$number("x") > 1'), {});
    expect(result.error).toMatchObject({ code: "EXPRESSION_ERROR", nodeId: "branch" });
    expect(result.trace.filter((t) => t.status === "skipped").map((t) => t.nodeId).sort()).toEqual(["big", "respondBig", "small"]);
  });
});
