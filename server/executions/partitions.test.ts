import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/database";
import { recordExecution } from "./record-execution";
import { ensureExecutionPartitions } from "./partitions";

const database = useTestDatabase();

const partitions = async () => {
  const { sql } = database();
  const rows = await sql<{ name: string }[]>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    join pg_class p on p.oid = i.inhparent where p.relname = 'executions' order by 1`;
  return rows.map((r) => r.name);
};

const monthName = (offset: number) => {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + offset);
  return `executions_${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
};

describe("execution log partitions", () => {
  it("has this month's partition from the migration, creates months ahead idempotently, and routes rows by time", async () => {
    const { sql } = database();
    expect(await partitions()).toContain(monthName(0));
    await ensureExecutionPartitions(sql, 6);
    expect(await ensureExecutionPartitions(sql, 6)).toBe(0);
    expect(await partitions()).toContain(monthName(6));

    const id = await recordExecution(sql, { startedAt: new Date(), direction: "incoming", status: "SUCCESS", durationMs: 1.5 });
    const [row] = await sql<{ part: string }[]>`select tableoid::regclass::text as part from executions where id = ${id}`;
    expect(row!.part).toBe(monthName(0));
    // A row older than every partition is kept, in the default partition.
    const old = await recordExecution(sql, { startedAt: new Date("2001-01-01"), direction: "incoming", status: "FAILED", durationMs: 1 });
    const [oldRow] = await sql<{ part: string }[]>`select tableoid::regclass::text as part from executions where id = ${old}`;
    expect(oldRow!.part).toBe("executions_default");
  });
});
