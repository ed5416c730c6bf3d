/** The auth node type (flows/nodes/auth), run through the real engine: incoming callers are checked, outgoing credentials named. */
import { describe, expect, it } from "vitest";
import { httpTrigger, runFlow, type FlowSpec } from "@/server/engine/testing/flow-builder";
import { MemoryServices } from "@/server/engine/testing/memory-services";

const incoming: FlowSpec = {
  nodes: [httpTrigger(), ["auth", "auth", { direction: "incoming", methods: ["api_key"] }], ["respond", "respond", { message: "in" }]],
};
const services = () => new MemoryServices({ apiKeys: ["fpk_good"] });

describe("auth executor", () => {
  it("lets a caller with a valid key through and names the client in the trace", async () => {
    const result = await runFlow(incoming, { a: 1 }, { services: services(), headers: { "x-api-key": "fpk_good" } });
    expect(result).toMatchObject({ outcome: "SUCCESS", httpStatus: 200 });
    expect(result.trace.find((t) => t.nodeId === "auth")).toMatchObject({ status: "success", note: "client Memory API key client", output: { a: 1 } });
  });

  it("refuses a caller without valid credentials with 401 before anything after it runs", async () => {
    const result = await runFlow(incoming, { a: 1 }, { services: services(), headers: { "x-api-key": "fpk_wrong" } });
    expect(result).toMatchObject({ httpStatus: 401 });
    expect(result.error).toMatchObject({ code: "AUTH_FAILED", nodeId: "auth" });
    expect(result.trace.find((t) => t.nodeId === "respond")?.status).toBe("skipped");
  });

  it("does not check credentials in a dry run, and says so", async () => {
    const result = await runFlow(incoming, { a: 1 }, { services: services(), mode: "dry" });
    expect(result.outcome).toBe("SUCCESS");
    expect(result.trace.find((t) => t.nodeId === "auth")?.note).toBe("credentials are not checked in a dry run");
  });

  it("outgoing: names the stored credential the send node attaches", async () => {
    const memory = services();
    const result = await runFlow(
      {
        direction: "outgoing",
        nodes: [
          ["trigger", "trigger.manual", { entity: "Vendor" }],
          ["auth", "auth", { direction: "outgoing", credential: "accounting-api-token" }],
          ["send", "send", { connection: "accounting-system", path: "/receive" }],
        ],
      },
      { Vendor_Name: "Shree Cement" },
      { services: memory },
    );
    expect(result.outcome).toBe("SUCCESS");
    expect(result.trace.find((t) => t.nodeId === "auth")?.note).toBe("credential accounting-api-token");
    expect(memory.sent[0]).toMatchObject({ connection: "accounting-system", credential: "accounting-api-token" });
  });
});
