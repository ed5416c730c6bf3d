import { describe, expect, it } from "vitest";
import { systemActor } from "../audit/actor";
import { publishFlow } from "../flows/publish-flow";
import { saveDraft } from "../flows/repository";
import { EXAMPLES_DIR, readFlowFiles } from "../flows/files";
import { insertRecord, transitionRecord } from "../records/store";
import { useTestDatabase } from "../testing/database";
import { FIRST_ATTEMPTS_PER_JOB } from "../outgoing/dispatch";
import { pumpRecordEvents } from "./event-pump";

const database = useTestDatabase();

describe("record event pump", () => {
  it("turns each committed event into exactly one delivery per matching flow, even with pumps racing; rolled-back changes make none", async () => {
    const { sql } = database();
    const flow = readFlowFiles(EXAMPLES_DIR).find((f) => f.flow.slug === "invoice-to-accounting")!.flow;
    await saveDraft(sql, flow);
    await publishFlow(sql, { slug: flow.slug }, systemActor("test"));

    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const { record } = await insertRecord(sql, "Invoice", { Invoice_No: `INV/P/${i}`, Invoice_Date: "2025-12-12", Total_Amount: i + 1 });
      ids.push(record.recordId);
      await transitionRecord(sql, "Invoice", record.recordId, "approved");
    }
    await sql
      .begin(async (tx) => {
        await transitionRecord(tx, "Invoice", "INV-1", "approved");
        throw new Error("undo");
      })
      .catch(() => undefined);
    expect((await sql`select count(*)::int as n from record_events`)[0]!.n).toBe(120); // created + status_changed

    const consumed = await Promise.all([pumpRecordEvents(sql), pumpRecordEvents(sql), pumpRecordEvents(sql)]);
    let rest = await pumpRecordEvents(sql);
    while (rest > 0) rest = await pumpRecordEvents(sql);
    expect(consumed.reduce((a, b) => a + b, 0)).toBe(120);
    expect((await sql`select count(*)::int as n from record_events`)[0]!.n).toBe(0);

    // Only the approvals match invoice-to-accounting: one delivery each, each with its job.
    const deliveries = await sql<{ record_id: string; n: number }[]>`
      select record_id, count(*)::int as n from deliveries where flow_slug = 'invoice-to-accounting' group by 1`;
    expect(deliveries.map((d) => d.record_id).sort()).toEqual([...ids].sort());
    expect(deliveries.every((d) => d.n === 1)).toBe(true);
    // Their first attempts queued in jobs of at most FIRST_ATTEMPTS_PER_JOB: each delivery in exactly one.
    const jobs = await sql<{ ids: string[] }[]>`
      select j.payload->'deliveryIds' as ids from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'deliver-outgoing'`;
    const queuedIds = jobs.flatMap((j) => j.ids);
    const deliveryIds = await sql<{ id: string }[]>`select id from deliveries where flow_slug = 'invoice-to-accounting'`;
    expect(queuedIds.sort()).toEqual(deliveryIds.map((d) => d.id).sort());
    expect(jobs.every((j) => j.ids.length <= FIRST_ATTEMPTS_PER_JOB)).toBe(true);
    expect(jobs.length).toBeLessThan(60);
    expect(await pumpRecordEvents(sql)).toBe(0);
  });
});
