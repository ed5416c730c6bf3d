import { describe, expect, it } from "vitest";
import { recordExecution } from "@/server/executions/record-execution";
import { listSendTargets, sendRecords } from "@/server/outgoing/manual-send";
import { invoiceEventFlow, invoiceManualFlow, publish } from "@/server/outgoing/testing-receiver";
import { useTestDatabase } from "@/server/testing/database";
import { countRecordsByEntity, recordDeliveries, recordOrigin } from "./record-history";
import { insertRecord } from "./store";

const database = useTestDatabase();

describe("a record's history", () => {
  it("names the execution that created it, and none for a record made by hand", async () => {
    const { sql } = database();
    const executionId = await recordExecution(sql, {
      startedAt: new Date(), direction: "incoming", flowSlug: "vendor-master", flowVersion: 3, status: "SUCCESS",
      httpStatus: 200, clientName: "acme", requestId: "req-1", durationMs: 4,
    });
    const { record } = await insertRecord(sql, "Vendor", { Vendor_Name: "Origin Co", GST_No: "27ABCDE1234F1Z5" }, { origin: { kind: "flow", flow: "vendor-master", executionId } });
    expect(await recordOrigin(sql, record)).toMatchObject({
      kind: "flow", flowSlug: "vendor-master", executionId,
      execution: { id: executionId, flowVersion: 3, status: "SUCCESS", httpStatus: 200, clientName: "acme", requestId: "req-1" },
      actor: null,
    });
    // A replay's record names the operator who started it.
    const actor = { id: "user-1", email: "ana@example.com" };
    const { record: replayed } = await insertRecord(sql, "Vendor", { Vendor_Name: "Replayed Co", GST_No: "24ABCDE1234F1Z5" }, { origin: { kind: "replay", flow: "vendor-master", executionId, actor } });
    expect(await recordOrigin(sql, replayed)).toMatchObject({ kind: "replay", actor });
    const { record: manual } = await insertRecord(sql, "Vendor", { Vendor_Name: "Manual Co", GST_No: "29ABCDE1234F1Z5" });
    expect(await recordOrigin(sql, manual)).toBeNull();
    expect(await countRecordsByEntity(sql)).toMatchObject({ Vendor: 3 });
  });

  it("lists its deliveries newest first, and the flows Send to API may use", async () => {
    const { sql } = database();
    await publish(sql, invoiceEventFlow());
    await publish(sql, invoiceManualFlow());
    expect(await listSendTargets(sql, "Invoice")).toEqual([
      { slug: "invoice-manual-push", name: "Invoice manual push", version: 1, trigger: "manual" },
      { slug: "invoice-to-accounting", name: expect.any(String), version: 1, trigger: "event" },
    ]);
    expect(await listSendTargets(sql, "Vendor")).toEqual([]);
    await expect(listSendTargets(sql, "Nope")).rejects.toThrow(/Unknown entity/);

    const { record } = await insertRecord(sql, "Invoice", { Invoice_No: "INV/H/1", Invoice_Date: "2025-12-01", Total_Amount: 5 });
    const first = await sendRecords(sql, { entity: "Invoice", recordIds: [record.recordId], flowSlug: "invoice-manual-push" });
    const second = await sendRecords(sql, { entity: "Invoice", recordIds: [record.recordId], flowSlug: "invoice-to-accounting" });
    const history = await recordDeliveries(sql, "Invoice", record.recordId);
    expect(history.map((d) => d.id)).toEqual([...second, ...first]);
    expect(history[0]).toMatchObject({ flowSlug: "invoice-to-accounting", trigger: "manual", status: "pending", attempts: 0, referenceId: null });
  });
});
