/**
 * Pruning the execution log: whole months dropped once past every flow's retention, shorter
 * per-flow retentions trimmed by batched deletes, and all of it while the incoming endpoints keep
 * taking calls, none of which fails or goes unlogged.
 */
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/database";
import { useIncomingTestServer } from "../testing/incoming-server";
import { pruneExecutions, setRetentionDays, listRetention } from "./retention";

const database = useTestDatabase();
const api = useIncomingTestServer(database);

const monthName = (offset: number) => {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + offset);
  return `executions_${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
};

const partitions = async () => {
  const { sql } = database();
  const rows = await sql<{ name: string }[]>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    join pg_class p on p.oid = i.inhparent where p.relname = 'executions'`;
  return rows.map((r) => r.name);
};

/** `count` log rows of `flow`, `daysAgo` days old. */
async function oldRows(flow: string | null, daysAgo: number, count: number) {
  const { sql } = database();
  await sql`
    insert into executions (started_at, direction, flow_slug, status, http_status, request_id, duration_ms)
    select now() - make_interval(days => ${daysAgo}) - i * interval '1 second', 'incoming', ${flow}, 'SUCCESS', 200, 'old-' || i, 1
    from generate_series(1, ${count}) i`;
}

const countOf = async (flow: string | null, olderThanDays: number) => {
  const { sql } = database();
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from executions
    where flow_slug is not distinct from ${flow} and started_at < now() - make_interval(days => ${olderThanDays})`;
  return row!.n;
};

let gst = 5000;
const vendor = () => ({
  vendorName: "Load Supplier",
  gstNumber: `27ABCDE${gst++}F1Z5`,
  contactPerson: "R S",
  mobile: "9876543210",
  email: "load@example.com",
  city: "Mumbai",
});

describe("log retention", () => {
  it("lists each flow's retention (30 days by default) and changes one", async () => {
    const { sql } = database();
    const before = await listRetention(sql);
    expect(before.find((r) => r.slug === "vendor-master")).toMatchObject({ retentionDays: 30 });
    expect(await setRetentionDays(sql, "lead-enquiry", 7)).toBe(true);
    expect(await setRetentionDays(sql, "no-such-flow", 7)).toBe(false);
    await expect(setRetentionDays(sql, "lead-enquiry", 0)).rejects.toThrow();
  });

  it("drops whole months past the longest retention and trims shorter ones, while incoming calls keep succeeding", async () => {
    const { sql } = database();
    await sql`select ensure_execution_partitions((now() - interval '5 months')::date, 6)`;
    await oldRows("vendor-master", 120, 3_000); // a month that no flow keeps: dropped whole
    await oldRows("lead-enquiry", 12, 12_000); // lead-enquiry keeps 7 days: deleted in batches
    await oldRows("vendor-master", 12, 2_000); // vendor-master keeps 30: stays
    await oldRows(null, 12, 100); // no flow: FLOWPORT_LOG_RETENTION_DAYS (30): stays
    await sql`insert into executions (started_at, direction, status, duration_ms) values ('2001-01-01', 'incoming', 'FAILED', 1)`;
    const oldMonth = monthName(-4);
    expect(await partitions()).toContain(oldMonth);

    // Steady incoming traffic from four callers for the whole prune, and a little after.
    let pruning = true;
    const answers: number[] = [];
    const requestIds: string[] = [];
    const caller = async () => {
      while (pruning) {
        const res = await api.post("vendor-master", vendor());
        answers.push(res.status);
        requestIds.push(res.json.requestId as string);
      }
    };
    const load = Promise.all([caller(), caller(), caller(), caller()]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const result = await pruneExecutions(sql);
    await new Promise((resolve) => setTimeout(resolve, 300));
    pruning = false;
    await load;

    expect(result.droppedPartitions).toContain(oldMonth);
    expect(await partitions()).not.toContain(oldMonth);
    expect(await partitions()).toContain(monthName(0));
    expect(result.deletedRows).toBe(12_000 + 1);
    expect(await countOf("lead-enquiry", 7)).toBe(0);
    expect(await countOf("vendor-master", 11)).toBe(2_000);
    expect(await countOf(null, 11)).toBe(100);

    expect(answers.length).toBeGreaterThan(20);
    expect(answers.filter((s) => s !== 200)).toEqual([]);
    const [logged] = await sql<{ n: number }[]>`select count(*)::int as n from executions where request_id = any(${requestIds})`;
    expect(logged!.n).toBe(requestIds.length);
  });
});
