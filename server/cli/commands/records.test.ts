import { describe, expect, it } from "vitest";
import { invoiceManualFlow, publish } from "@/server/outgoing/testing-receiver";
import { useTestDatabase } from "../../testing/database";
import { cliActorName } from "@/server/audit/actor";
import { createRecordCommand, listRecordsCommand, sendRecordCommand, transitionRecordCommand } from "./records";

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

  it("each action leaves an audit row naming cli:<os user>", async () => {
    const { sql } = database();
    const created = await createRecordCommand(sql, "Invoice", { data: JSON.stringify({ Invoice_No: "INV/CLI/2", Invoice_Date: "2025-12-13", Total_Amount: 5 }) });
    const recordId = (created.data.record as { recordId: string }).recordId;
    await transitionRecordCommand(sql, "Invoice", recordId, "approved");
    const trail = await sql<{ action: string; actor_email: string; details: Record<string, unknown> }[]>`
      select action, actor_email, details from audit_log where target = ${`Invoice/${recordId}`} order by id`;
    expect(trail).toEqual([
      { action: "record.created", actor_email: cliActorName(), details: { status: "draft" } },
      { action: "record.transitioned", actor_email: cliActorName(), details: { from: "draft", to: "approved" } },
    ]);
    // A refused transition writes nothing.
    await expect(transitionRecordCommand(sql, "Invoice", recordId, "draft")).rejects.toMatchObject({ code: "WORKFLOW_RULE" });
    const [count] = await sql<{ n: number }[]>`select count(*)::int as n from audit_log where target = ${`Invoice/${recordId}`}`;
    expect(count?.n).toBe(2);
  });

  it("list shows an entity's records newest first, filtered by status, and refuses a status the entity has not", async () => {
    const { sql } = database();
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const created = await createRecordCommand(sql, "Lead", { data: JSON.stringify({ Lead_Name: `CLI lead ${n}`, Mobile: `98765000${n}0`, Email: `lead${n}@cli.example` }) });
      ids.push((created.data.record as { recordId: string }).recordId);
    }
    await transitionRecordCommand(sql, "Lead", ids[1]!, "lost");
    const lost = await listRecordsCommand(sql, "Lead", { status: "lost", search: "CLI lead" });
    expect((lost.data.records as { recordId: string }[]).map((r) => r.recordId)).toEqual([ids[1]]);
    expect(lost.human).toMatch(new RegExp(`^${ids[1]}\\s+lost `));
    expect(lost.human).toContain('1 record (status lost, matching "CLI lead")');
    const newest = await listRecordsCommand(sql, "Lead", { search: "CLI lead", limit: "2" });
    expect((newest.data.records as { recordId: string }[]).map((r) => r.recordId)).toEqual([ids[2], ids[1]]);
    expect(newest.data.more).toBe(true);
    expect((await listRecordsCommand(sql, "Lead", { status: "new", search: "nobody-matches" })).human).toBe('No Lead records (status new, matching "nobody-matches").');
    await expect(listRecordsCommand(sql, "Lead", { status: "approved" })).rejects.toMatchObject({ code: "VALIDATION_FAILED", message: expect.stringMatching(/Lead has no status "approved" \(statuses: new, contacted/) });
    await expect(listRecordsCommand(sql, "Nothing", {})).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(listRecordsCommand(sql, "Lead", { limit: "0" })).rejects.toThrow(/--limit/);
  });
});
