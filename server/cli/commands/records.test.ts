import { describe, expect, it } from "vitest";
import { invoiceManualFlow, publish } from "@/server/outgoing/testing-receiver";
import { useTestDatabase } from "../../testing/database";
import { createRecordCommand, sendRecordCommand, transitionRecordCommand } from "./records";

const database = useTestDatabase();

describe("flowport records", () => {
  it("creates, transitions and queues a record for an outgoing flow", async () => {
    const { sql } = database();
    const created = await createRecordCommand(sql, "Invoice", {
      data: JSON.stringify({ Invoice_No: "INV/CLI/1", Invoice_Date: "2025-12-12", Total_Amount: 10 }),
    });
    const recordId = (created.data.record as { recordId: string }).recordId;
    expect(created.human).toBe(`Created Invoice ${recordId} (draft).`);
    const moved = await transitionRecordCommand(sql, "Invoice", recordId, "approved");
    expect(moved.human).toBe(`Invoice ${recordId} is now approved.`);
    await expect(transitionRecordCommand(sql, "Invoice", recordId, "draft")).rejects.toThrow(/cannot go from approved to draft/);
    await expect(createRecordCommand(sql, "Invoice", { data: "{nope" })).rejects.toThrow(/not valid JSON/);
    await expect(createRecordCommand(sql, "Invoice", { data: '{"Invoice_No":{"a":1},"Total_Amount":"12"}' })).rejects.toThrow(
      "Invoice_No: Invoice_No must be text; Invoice_Date: Invoice_Date is required; Total_Amount: Total_Amount must be a number",
    );

    await publish(sql, invoiceManualFlow());
    const sent = await sendRecordCommand(sql, "Invoice", recordId, { flow: "invoice-manual-push" });
    expect(sent.data.deliveryIds).toHaveLength(1);
    // No worker here: --wait reports the delivery as still in progress, as an error.
    await expect(sendRecordCommand(sql, "Invoice", recordId, { flow: "invoice-manual-push", wait: true, timeout: "0.3" })).rejects.toThrow(/Still in progress/);
  });
});
