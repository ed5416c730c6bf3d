/** records.*: browse with search and keyset pages, a record's page, transitions that fire events, Send to API. */
import { describe, expect, it } from "vitest";
import { pumpRecordEvents } from "@/server/jobs/event-pump";
import { insertRecord } from "@/server/records/store";
import { invoiceEventFlow, invoiceManualFlow, publish } from "@/server/outgoing/testing-receiver";
import { useTestDatabase } from "@/server/testing/database";
import { callerAs, codeOf } from "../testing/caller";

const database = useTestDatabase();

describe("records router", () => {
  it("pages an entity newest first by keyset, with search and status filters", async () => {
    const { sql } = database();
    for (let i = 0; i < 23; i++) await insertRecord(sql, "Lead", { Lead_Name: `Lead ${i}`, City: i % 2 ? "Pune" : "Mumbai" }, { emitEvents: false });
    const viewer = callerAs(sql, "viewer");
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await viewer.records.list({ entity: "lead", limit: 10, cursor });
      seen.push(...page.items.map((r) => r.recordId));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(23);
    expect(seen[0]).toBe("LEAD-1023"); // newest first

    const pune = await viewer.records.list({ entity: "Lead", search: "pune", limit: 50 });
    expect(pune.items).toHaveLength(11);
    expect(pune.nextCursor).toBeNull();
    expect((await viewer.records.list({ entity: "Lead", search: "LEAD-1007" })).items.map((r) => r.recordId)).toEqual(["LEAD-1007"]);
    expect((await viewer.records.list({ entity: "Lead", status: "lost" })).items).toEqual([]);

    const entities = await viewer.records.entities();
    expect(entities.find((e) => e.name === "Lead")).toMatchObject({ kind: "record", count: 23 });
    expect(entities.find((e) => e.name === "City")).toMatchObject({ kind: "master" });
    expect(await codeOf(viewer.records.list({ entity: "Spaceship" }))).toBe("NOT_FOUND");
  });

  it("approves an invoice through the record store: event, audit row, and the delivery in its history", async () => {
    const { sql } = database();
    await publish(sql, invoiceEventFlow());
    const { record } = await insertRecord(sql, "Invoice", { Invoice_No: "INV/R/1", Invoice_Date: "2025-12-01", Total_Amount: 100 });
    const operator = callerAs(sql, "operator");

    const before = await operator.records.get({ entity: "Invoice", recordId: record.recordId });
    expect(before).toMatchObject({ transitions: ["approved"], locked: false, origin: null, deliveries: [] });

    expect(await codeOf(callerAs(sql, "viewer").records.transition({ entity: "Invoice", recordId: record.recordId, toStatus: "approved" }))).toBe("FORBIDDEN");
    const approved = await operator.records.transition({ entity: "Invoice", recordId: record.recordId, toStatus: "approved" });
    expect(approved.status).toBe("approved");
    const [event] = await sql<{ payload: Record<string, unknown> }[]>`
      select payload from record_events where payload->>'recordId' = ${record.recordId} and payload->>'event' = 'status_changed'`;
    expect(event?.payload).toMatchObject({ entity: "Invoice", status: "approved", from: "draft" });
    const [audit] = await sql`select actor_id, action, target, details from audit_log where action = 'record.transitioned'`;
    expect(audit).toMatchObject({ actor_id: "test-operator", target: `Invoice/${record.recordId}`, details: { from: "draft", to: "approved" } });

    // The worker's event pump turns the event into a delivery of invoice-to-accounting.
    await pumpRecordEvents(sql);
    const after = await operator.records.get({ entity: "Invoice", recordId: record.recordId });
    expect(after).toMatchObject({ transitions: ["paid"], locked: true });
    expect(after.deliveries).toHaveLength(1);
    expect(after.deliveries[0]).toMatchObject({ flowSlug: "invoice-to-accounting", trigger: "event", status: "pending" });

    const refused = operator.records.transition({ entity: "Invoice", recordId: record.recordId, toStatus: "draft" });
    await expect(refused).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/cannot go from approved to draft/) });
    expect(await codeOf(operator.records.get({ entity: "Invoice", recordId: "INV-9999" }))).toBe("NOT_FOUND");
  });

  it("sends a selection to a chosen outgoing flow and reports each delivery", async () => {
    const { sql } = database();
    await publish(sql, invoiceManualFlow());
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await insertRecord(sql, "Invoice", { Invoice_No: `INV/S/${i}`, Invoice_Date: "2025-12-02", Total_Amount: 5 })).record.recordId);
    const operator = callerAs(sql, "operator");
    expect((await operator.records.sendTargets({ entity: "Invoice" })).map((t) => t.slug)).toContain("invoice-manual-push");

    expect(await codeOf(callerAs(sql, "analyst").records.send({ entity: "Invoice", recordIds: ids, flowSlug: "invoice-manual-push" }))).toBe("FORBIDDEN");
    const sent = await operator.records.send({ entity: "Invoice", recordIds: ids, flowSlug: "invoice-manual-push" });
    expect(sent.deliveryIds).toHaveLength(3);
    expect(sent.deliveries.map((d) => d.recordId).sort()).toEqual([...ids].sort());
    expect((await operator.records.deliveries({ ids: sent.deliveryIds })).every((d) => d.status === "pending")).toBe(true);
    expect((await operator.records.get({ entity: "Invoice", recordId: ids[0]! })).deliveries[0]).toMatchObject({ trigger: "manual", flowSlug: "invoice-manual-push" });

    await expect(operator.records.send({ entity: "Invoice", recordIds: ["INV-404"], flowSlug: "invoice-manual-push" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(operator.records.send({ entity: "Vendor", recordIds: ["VEND-1"], flowSlug: "invoice-manual-push" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/cannot send Vendor records by hand/),
    });
    const [audit] = await sql`select details from audit_log where action = 'records.sent'`;
    expect(audit?.details).toMatchObject({ entity: "Invoice", recordIds: ids });
  });
});
