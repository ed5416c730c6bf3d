/** The trigger.event node type (flows/nodes/trigger.event), run through the real engine: the event's record is the input. */
import { describe, expect, it } from "vitest";
import { runFlow, type FlowSpec } from "@/server/engine/testing/flow-builder";
import { MemoryServices } from "@/server/engine/testing/memory-services";

const spec: FlowSpec = {
  direction: "outgoing",
  nodes: [
    ["trigger", "trigger.event", { entity: "Invoice", event: "status_changed", toStatus: "approved" }],
    ["map", "map", { expression: '{"invoice": $record.Invoice_No, "amount": Total_Amount}' }],
    ["send", "send", { connection: "accounting-system", path: "/invoices" }],
  ],
};
const invoice = { Invoice_No: "INV/2025/0050", Total_Amount: 1200 };

describe("trigger.event executor", () => {
  it("passes the event's record on as the input and as $record", async () => {
    const services = new MemoryServices();
    const result = await runFlow(spec, invoice, { services, event: { entity: "Invoice", type: "status_changed", recordId: "INV-1003", toStatus: "approved" } });
    expect(result.outcome).toBe("SUCCESS");
    expect(services.sent[0]?.body).toEqual({ invoice: "INV/2025/0050", amount: 1200 });
  });

  it("refuses an event it does not start on (another status)", async () => {
    const result = await runFlow(spec, invoice, { services: new MemoryServices(), event: { entity: "Invoice", type: "status_changed", recordId: "INV-1003", toStatus: "paid" } });
    expect(result.error).toMatchObject({ code: "WORKFLOW_RULE", nodeId: "trigger" });
    expect(result.error?.message).toContain("This flow starts on Invoice status_changed → approved, not on Invoice status_changed");
  });

  it("refuses an event without a record object", async () => {
    const result = await runFlow(spec, "INV-1003", { services: new MemoryServices(), event: { entity: "Invoice", type: "status_changed", recordId: "INV-1003", toStatus: "approved" } });
    expect(result.error).toMatchObject({ code: "VALIDATION_FAILED", nodeId: "trigger" });
  });
});
