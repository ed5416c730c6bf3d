/** The trigger.schedule node type (flows/nodes/trigger.schedule), run through the real engine: candidates, selection, limit. */
import { describe, expect, it } from "vitest";
import { runFlow, type FlowSpec } from "@/server/engine/testing/flow-builder";
import { MemoryServices } from "@/server/engine/testing/memory-services";

const spec = (config: Record<string, unknown>): FlowSpec => ({
  direction: "outgoing",
  nodes: [
    ["trigger", "trigger.schedule", { cron: "0 2 * * *", timezone: "Asia/Kolkata", entity: "Invoice", ...config }],
    ["send", "send", { connection: "accounting-system", path: "/invoices" }],
  ],
});
const invoices = () =>
  new MemoryServices({
    entities: {
      Invoice: {
        rows: [
          { id: "INV-1", status: "approved", Invoice_No: "A/1", Total_Amount: 10 },
          { id: "INV-2", status: "draft", Invoice_No: "A/2", Total_Amount: 20 },
          { id: "INV-3", status: "approved", Invoice_No: "A/3", Total_Amount: 30 },
        ],
      },
    },
  });

describe("trigger.schedule executor", () => {
  it("reads the entity's records, keeps what the selection picks and sends them as one list", async () => {
    const services = invoices();
    const result = await runFlow(spec({ selection: '$[status = "approved"].Invoice_No' }), {}, { services });
    expect(result.outcome).toBe("SUCCESS");
    expect(result.trace[0]).toMatchObject({ nodeId: "trigger", output: ["A/1", "A/3"], note: "2 records selected" });
    expect(services.sent[0]?.body).toEqual(["A/1", "A/3"]);
  });

  it("takes an array input as the candidates and cuts the list at the limit", async () => {
    const result = await runFlow(spec({ limit: 1 }), [{ n: 1 }, { n: 2 }], { services: invoices() });
    expect(result.trace[0]).toMatchObject({ output: [{ n: 1 }], note: "2 records selected" });
  });

  it("a selection that picks nothing gives an empty list", async () => {
    const result = await runFlow(spec({ selection: '$[status = "paid"]' }), {}, { services: invoices() });
    expect(result.trace[0]).toMatchObject({ output: [], note: "0 records selected" });
  });
});
