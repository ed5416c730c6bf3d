/**
 * The logs at 1,000,000 executions: every page (first, deep, filtered) and every business-key
 * search answers in under 100 ms, because each is an index walk that stops after one page
 * (keyset pagination) or a BitmapOr over the business-key indexes, never a scan of the table.
 * Timings come from EXPLAIN ANALYZE of the very query the app runs (the server's own clock,
 * not this machine's scheduling).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/database";
import type { LogFilter } from "./filter";
import { listExecutions, pageQuery } from "./query";

const database = useTestDatabase();
const ROWS = 1_000_000;
const PAGE_BUDGET_MS = 100;

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Actual Rows"?: number;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

async function explainPage(filter: LogFilter, cursor?: string | null) {
  const { sql } = database();
  const [row] = await sql<{ "QUERY PLAN": [{ Plan: PlanNode; "Execution Time": number }] }[]>`
    explain (analyze, format json) ${pageQuery(sql, filter, 50, cursor)}`;
  const [result] = row!["QUERY PLAN"];
  return { ms: result["Execution Time"], nodes: nodesOf(result.Plan) };
}

/** A filter's page runs within budget and never reads a big partition sequentially. */
async function expectFastPage(filter: LogFilter, cursor?: string | null) {
  const { ms, nodes } = await explainPage(filter, cursor);
  const seqScans = nodes.filter((n) => n["Node Type"] === "Seq Scan" && (n["Actual Rows"] ?? 0) > 1000);
  expect(seqScans, JSON.stringify(filter)).toEqual([]);
  expect(ms, `${JSON.stringify(filter)} took ${ms} ms`).toBeLessThan(PAGE_BUDGET_MS);
  return ms;
}

describe(`logs over ${ROWS.toLocaleString("en")} executions`, () => {
  beforeAll(async () => {
    const { sql } = database();
    const started = Date.now();
    // Loading a million rows into indexed tables is slow; load them bare and build the very same
    // indexes afterwards (as a bulk import would), so the test fits in a minute.
    const indexes = await sql<{ name: string; def: string }[]>`
      select indexname as name, indexdef as def from pg_indexes
      where tablename = 'executions' and indexname not like '%pkey'`;
    const [pk] = await sql<{ name: string; def: string }[]>`
      select conname as name, pg_get_constraintdef(oid) as def from pg_constraint where conrelid = 'executions'::regclass and contype = 'p'`;
    await sql.unsafe(`alter table executions drop constraint ${pk!.name}`);
    for (const { name } of indexes) await sql.unsafe(`drop index ${name}`);
    // Nor does this throw-away database need crash safety: unlogged partitions skip the WAL.
    const parts = await sql<{ name: string }[]>`
      select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      join pg_class p on p.oid = i.inhparent where p.relname = 'executions'`;
    for (const { name } of parts) await sql.unsafe(`alter table ${name} set unlogged`);
    // One statement: spread over the last 20 days, 70 % incoming, 1 in 20 failed.
    await sql`
      insert into executions (id, started_at, direction, mode, flow_slug, flow_version, request_id, client_name, connection_name,
        status, http_status, error_code, record_entity, record_id, reference_id, duration_ms, attempts)
      select id, now() - (i * interval '1.7 second'),
        case when i % 10 < 7 then 'incoming' else 'outgoing' end, 'live',
        case when i % 10 < 7 then 'vendor-master-' || (i % 4) else 'invoice-to-accounting-' || (i % 3) end, 1,
        -- Half the calls carry the request id Flowport generated, which is also their execution id.
        case when i % 2 = 0 then id::text else 'req-' || i end,
        case when i % 10 < 7 then 'client-' || (i % 5) end,
        case when i % 10 >= 7 then 'accounting-system' end,
        case when i % 20 = 0 then 'FAILED' else 'SUCCESS' end,
        case when i % 20 = 0 then 400 else 200 end,
        case when i % 20 = 0 then (array['INVALID_GST', 'DUPLICATE_RECORD', 'VALIDATION_FAILED'])[1 + i % 3] end,
        case when i % 10 < 7 then 'Vendor' else 'Invoice' end,
        case when i % 10 < 7 then 'VEND-' || i else 'INV-' || i end,
        case when i % 10 >= 7 and i % 20 <> 0 then 'ACC-' || i end,
        (i % 250)::float8 / 3, 1
      from (select gen_random_uuid() as id, i from generate_series(1, ${ROWS}) as i) as g`;
    const inserted = Date.now();
    await sql`set maintenance_work_mem = '128MB'`;
    await sql.unsafe(`alter table executions add constraint ${pk!.name} ${pk!.def}`);
    for (const { def } of indexes) await sql.unsafe(def.replace(" ON ONLY ", " ON "));
    await sql`analyze executions`;
    console.info(`${ROWS} executions: inserted in ${inserted - started} ms, indexed in ${Date.now() - inserted} ms`);
    // About a minute on an idle 2-core machine; a shared, busy one needs more.
  }, 300_000);

  afterAll(async () => {
    // The rows go with the test database; nothing to clean.
  });

  it("pages through the newest incoming calls, first page and a deep page, each under 100 ms", async () => {
    const { sql } = database();
    const filter: LogFilter = { direction: "incoming" };
    const first = await listExecutions(sql, filter, { limit: 50 });
    expect(first.items).toHaveLength(50);
    expect(first.items.every((e) => e.direction === "incoming")).toBe(true);
    const times = first.items.map((e) => e.startedAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    await expectFastPage(filter);

    // Walk 20 pages: no row twice, none skipped, each page under budget.
    let cursor = first.nextCursor;
    const seen = new Set(first.items.map((e) => e.id));
    for (let page = 0; page < 20; page++) {
      await expectFastPage(filter, cursor);
      const next = await listExecutions(sql, filter, { limit: 50, cursor });
      for (const e of next.items) {
        expect(seen.has(e.id)).toBe(false);
        seen.add(e.id);
      }
      cursor = next.nextCursor;
    }
    expect(seen.size).toBe(21 * 50);
  });

  it("filters by flow, status, HTTP code, client, connection and time range, each page under 100 ms", async () => {
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
    const filters: LogFilter[] = [
      { direction: "incoming", flowSlug: "vendor-master-2" },
      { direction: "incoming", status: "FAILED" },
      { direction: "outgoing", httpStatus: 400 },
      { direction: "incoming", clientName: "client-3" },
      { direction: "outgoing", connectionName: "accounting-system" },
      { direction: "incoming", from: new Date(tenDaysAgo.getTime() - 86_400_000), to: tenDaysAgo },
      { direction: "incoming", flowSlug: "vendor-master-0", status: "FAILED", to: tenDaysAgo },
      // 200s are not in the HTTP-status index (nearly every row is one): the direction's index finds a page.
      { direction: "incoming", httpStatus: 200 },
      { direction: "outgoing", httpStatus: 200, to: tenDaysAgo },
    ];
    for (const filter of filters) await expectFastPage(filter);
  });

  it("finds a business key (record id, reference id, request id, error code) among a million rows in under 100 ms", async () => {
    const { sql } = database();
    const found = async (filter: LogFilter) => (await listExecutions(sql, filter)).items;
    expect((await found({ direction: "incoming", search: "VEND-777771" })).map((e) => e.recordId)).toEqual(["VEND-777771"]);
    expect((await found({ direction: "outgoing", search: "ACC-777779" })).map((e) => e.referenceId)).toEqual(["ACC-777779"]);
    expect((await found({ direction: "incoming", search: "req-500001" })).map((e) => e.requestId)).toEqual(["req-500001"]);
    const byCode = await found({ direction: "incoming", search: "invalid_gst" });
    expect(byCode.length).toBe(50);
    expect(byCode.every((e) => e.errorCode === "INVALID_GST")).toBe(true);

    // A request id Flowport generated is the execution's id: found through the primary key.
    const [own] = await sql<{ request_id: string }[]>`select request_id from executions where request_id = id::text and direction = 'incoming' offset 5000 limit 1`;
    expect((await found({ direction: "incoming", search: own!.request_id })).map((e) => e.requestId)).toEqual([own!.request_id]);
    for (const search of ["VEND-777771", "ACC-777779", "req-500001", own!.request_id, "3f1c2a9e-8b7d-4c6e-9a5b-1d2e3f4a5b6c", "INVALID_GST", "NO-SUCH-KEY"]) {
      await expectFastPage({ direction: search.startsWith("ACC") ? "outgoing" : "incoming", search });
    }
  });
});
