/** The trigger.manual node type (flows/nodes/trigger.manual), run through the real engine: "Send to API" on one record. */
import { describe, expect, it } from "vitest";
import { runFlow, type FlowSpec } from "@/server/engine/testing/flow-builder";
import { MemoryServices } from "@/server/engine/testing/memory-services";

const spec: FlowSpec = {
  direction: "outgoing",
  nodes: [
    ["trigger", "trigger.manual", { entity: "Vendor" }],
    ["map", "map", { expression: '{"name": $record.Vendor_Name}' }],
    ["send", "send", { connection: "payment-portal", path: "/vendors" }],
  ],
};

describe("trigger.manual executor", () => {
  it("sends the chosen record: it is the input and $record", async () => {
    const services = new MemoryServices();
    const result = await runFlow(spec, { Vendor_Name: "Shree Cement" }, { services, event: { entity: "Vendor", type: "updated", recordId: "VEND-1001" } });
    expect(result.outcome).toBe("SUCCESS");
    expect(services.sent[0]).toMatchObject({ connection: "payment-portal", path: "/vendors", body: { name: "Shree Cement" } });
  });

  it("refuses anything but one record object", async () => {
    const result = await runFlow(spec, [{ Vendor_Name: "a" }], { services: new MemoryServices() });
    expect(result.error).toMatchObject({ code: "VALIDATION_FAILED", nodeId: "trigger" });
    expect(JSON.stringify(result.error)).toContain("Send to API needs one record as an object");
  });
});
