import { describe, expect, it } from "vitest";
import { insertRecord } from "../records/store";
import { useTestDatabase } from "../testing/database";
import { pumpRecordEvents } from "./event-pump";

const database = useTestDatabase();

describe("record event pump", () => {
  it("moves each committed event into exactly one graphile-worker job, even with pumps racing", async () => {
    const { sql } = database();
    for (let i = 0; i < 120; i++) await insertRecord(sql, "Lead", { Lead_Name: `Lead ${i}` });
    await sql.begin(async (tx) => {
      await insertRecord(tx, "Lead", { Lead_Name: "rolled back" });
      throw new Error("undo");
    }).catch(() => undefined);
    expect((await sql`select count(*)::int as n from record_events`)[0]!.n).toBe(120);

    const moved = await Promise.all([pumpRecordEvents(sql), pumpRecordEvents(sql), pumpRecordEvents(sql)]);
    let rest = await pumpRecordEvents(sql);
    while (rest > 0) rest = await pumpRecordEvents(sql);
    expect(moved.reduce((a, b) => a + b, 0)).toBe(120);
    expect((await sql`select count(*)::int as n from record_events`)[0]!.n).toBe(0);

    const jobs = await sql<{ recordId: string; n: number }[]>`
      select j.payload->>'recordId' as "recordId", count(*)::int as n
      from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'record-event' group by 1`;
    expect(jobs).toHaveLength(120);
    expect(jobs.every((j) => j.n === 1)).toBe(true);
    expect(await pumpRecordEvents(sql)).toBe(0);
  });
});
