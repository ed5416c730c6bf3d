/**
 * Logs search at 1,000,000 executions (issue 17): a business value (GSTIN, vendor name), a record
 * id, an error code and a miss, each searched the way the Logs page does (listExecutions), on a
 * log where 70 % of the rows carry key values. Rows are seeded bare with generate_series and the
 * migrated indexes rebuilt afterwards (as a bulk import would). Figures: PostgreSQL's execution
 * time from EXPLAIN ANALYZE of the very page query, and the app's round trip for the same page,
 * each the median of several runs after one warm-up.
 */
import postgres from "postgres";
import { benchDatabase } from "./fresh-database";
import { startEmbeddedPostgres } from "../server/db/embedded-postgres";
import { migrateDatabase } from "../server/db/migrate";
import { listExecutions, pageQuery } from "../server/logs/query";
import type { LogFilter } from "../server/logs/filter";
import { tempDataDir } from "../server/testing/processes";

export const LOGS_SEARCH_TARGET_MS = 200;
const ROWS = 1_000_000;
const RUNS = 7;

export interface LogsSearchResult {
  rows: number;
  /** "embedded PostgreSQL" or the fresh database's label on BENCH_DATABASE_URL's server. */
  database: string;
  seedSeconds: number;
  searches: { search: string; what: string; found: number; postgresMedianMs: number; roundTripMedianMs: number }[];
  worstMs: number;
  meetsTarget: boolean;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (n: number) => Math.round(n * 10) / 10;

export async function benchLogsSearch(): Promise<LogsSearchResult> {
  const own = await benchDatabase("logs_search");
  const embedded = own ? undefined : await startEmbeddedPostgres({ dataDir: tempDataDir("bench-logs"), role: "owner", log: () => undefined });
  const url = own?.url ?? embedded!.url;
  const sql = postgres(url, { max: 2, onnotice: () => undefined });
  try {
    await migrateDatabase(url);
    const started = Date.now();
    await seed(sql);
    const seedSeconds = Math.round((Date.now() - started) / 1000);
    const cases: { search: string; what: string; direction: LogFilter["direction"] }[] = [
      { search: "27ABCDE0777F771Z", what: "GSTIN (one row)", direction: "incoming" },
      { search: "Vendor Traders 4242", what: "vendor name (20 rows)", direction: "incoming" },
      { search: "Mumbai", what: "city of every vendor call (700,000 rows)", direction: "incoming" },
      { search: "VEND-777771", what: "record id", direction: "incoming" },
      { search: "INVALID_GST", what: "error code (16,667 rows)", direction: "incoming" },
      { search: "no such vendor", what: "no match", direction: "incoming" },
    ];
    const searches: LogsSearchResult["searches"] = [];
    for (const c of cases) {
      const filter: LogFilter = { direction: c.direction, search: c.search };
      await listExecutions(sql, filter); // warm-up
      const pg: number[] = [];
      const trip: number[] = [];
      let found = 0;
      for (let i = 0; i < RUNS; i++) {
        const [row] = await sql<{ "QUERY PLAN": [{ "Execution Time": number }] }[]>`explain (analyze, format json) ${pageQuery(sql, filter, 50)}`;
        pg.push(row!["QUERY PLAN"][0]["Execution Time"]);
        const t = performance.now();
        found = (await listExecutions(sql, filter)).items.length;
        trip.push(performance.now() - t);
      }
      searches.push({ search: c.search, what: c.what, found, postgresMedianMs: round(median(pg)), roundTripMedianMs: round(median(trip)) });
    }
    const worstMs = Math.max(...searches.map((s) => s.roundTripMedianMs));
    return { rows: ROWS, database: own?.label ?? "embedded PostgreSQL", seedSeconds, searches, worstMs, meetsTarget: worstMs < LOGS_SEARCH_TARGET_MS };
  } finally {
    await sql.end({ timeout: 5 });
    await embedded?.stop();
    await own?.drop();
  }
}

/** A million rows over 20 days: 70 % incoming vendor calls with a unique GSTIN, a vendor name (20 rows each) and one city, 1 in 20 failed. */
async function seed(sql: postgres.Sql) {
  const indexes = await sql<{ name: string; def: string }[]>`
    select indexname as name, indexdef as def from pg_indexes where tablename = 'executions' and indexname not like '%pkey'`;
  const [pk] = await sql<{ name: string; def: string }[]>`
    select conname as name, pg_get_constraintdef(oid) as def from pg_constraint where conrelid = 'executions'::regclass and contype = 'p'`;
  await sql.unsafe(`alter table executions drop constraint ${pk!.name}`);
  for (const { name } of indexes) await sql.unsafe(`drop index ${name}`);
  await sql`
    insert into executions (id, started_at, direction, mode, flow_slug, flow_version, request_id, client_name, connection_name,
      status, http_status, error_code, record_entity, record_id, reference_id, duration_ms, attempts, search_keys, key_values)
    select id, now() - (i * interval '1.7 second'),
      case when incoming then 'incoming' else 'outgoing' end, 'live',
      case when incoming then 'vendor-master' else 'invoice-to-accounting' end, 1,
      case when i % 2 = 0 then id::text else 'req-' || i end,
      case when incoming then 'client-' || (i % 5) end,
      case when not incoming then 'accounting-system' end,
      case when i % 20 = 0 then 'FAILED' else 'SUCCESS' end,
      case when i % 20 = 0 then 400 else 200 end,
      case when i % 20 = 0 then (array['INVALID_GST', 'DUPLICATE_RECORD', 'VALIDATION_FAILED'])[1 + i % 3] end,
      case when incoming then 'Vendor' else 'Invoice' end,
      case when incoming then 'VEND-' || i else 'INV-' || i end,
      case when not incoming and i % 20 <> 0 then 'ACC-' || i end,
      (i % 250)::float8 / 3, 1,
      case when incoming then array[lower(gstin), lower(vendor), 'mumbai'] end,
      case when incoming then jsonb_build_array(jsonb_build_object('field', 'GST_No', 'value', gstin),
        jsonb_build_object('field', 'Vendor_Name', 'value', vendor), jsonb_build_object('field', 'City', 'value', 'Mumbai')) end
    from (
      select gen_random_uuid() as id, i, i % 10 < 7 as incoming,
        '27ABCDE' || lpad((i / 1000)::text, 4, '0') || 'F' || (i % 1000) || 'Z' as gstin,
        'Vendor Traders ' || (i % 50000) as vendor
      from generate_series(1, ${ROWS}) as i
    ) as g`;
  await sql`set maintenance_work_mem = '256MB'`;
  await sql.unsafe(`alter table executions add constraint ${pk!.name} ${pk!.def}`);
  for (const { def } of indexes) await sql.unsafe(def.replace(" ON ONLY ", " ON "));
  await sql`analyze executions`;
}
