/** The send node type (flows/nodes/send), run through the real engine: compile and execute are the server's, so these tests live here. */
import { describe, expect, it } from "vitest";
import type { OutgoingResponse } from "@/server/engine/services";
import { httpTrigger, runFlow } from "@/server/engine/testing/flow-builder";
import { sendDefinition } from "@/flows/nodes/send/definition";

const answering = (response: OutgoingResponse) => ({ send: async () => response });

const sendNode = (config: Record<string, unknown> = {}): ["send", "send", Record<string, unknown>] => [
  "send",
  "send",
  { connection: "accounting-system", path: "/api/v1/receive-data", referenceIdExpression: "referenceId", ...config },
];

describe("send executor: 409 as 'already delivered'", () => {
  const conflict = { status: 409, headers: {}, body: { status: "error", errorCode: "DUPLICATE", referenceId: "ACC-77" } };

  it("is off by default: a 409 fails, not retryable", async () => {
    const result = await runFlow({ nodes: [httpTrigger(), sendNode()] }, { a: 1 }, { services: answering(conflict) });
    expect(result.outcome).not.toBe("SUCCESS");
    expect(result.error).toMatchObject({ code: "EXTERNAL_ERROR", retryable: false, details: { status: 409 } });
    expect(sendDefinition.configSchema.parse(sendNode()[2]).conflictMeansDelivered).toBe(false);
  });

  it("when on, a 409 succeeds and the reference id is read from its body", async () => {
    const result = await runFlow({ nodes: [httpTrigger(), sendNode({ conflictMeansDelivered: true })] }, { a: 1 }, { services: answering(conflict) });
    expect(result.outcome).toBe("SUCCESS");
    expect(result.referenceId).toBe("ACC-77");
    expect(result.trace.find((t) => t.nodeId === "send")).toMatchObject({ note: "HTTP 409: already delivered", output: { alreadyDelivered: true, referenceId: "ACC-77" } });
  });

  it("when on, a 409 without a reference id still succeeds; other 4xx still fail", async () => {
    const on = { nodes: [httpTrigger(), sendNode({ conflictMeansDelivered: true })] };
    const bare = await runFlow(on, {}, { services: answering({ status: 409, headers: {}, body: "Conflict" }) });
    expect(bare.outcome).toBe("SUCCESS");
    expect(bare.referenceId).toBeUndefined();
    const refused = await runFlow(on, {}, { services: answering({ status: 422, headers: {}, body: {} }) });
    expect(refused.error).toMatchObject({ code: "EXTERNAL_ERROR", retryable: false, details: { status: 422 } });
  });

  it("says so in the node's one-line summary", () => {
    const config = sendDefinition.configSchema.parse(sendNode({ conflictMeansDelivered: true })[2]);
    expect(sendDefinition.summarize(config)).toBe("POST accounting-system /api/v1/receive-data (409 = delivered)");
  });
});
