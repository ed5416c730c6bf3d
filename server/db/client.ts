/**
 * The database handle for this process: a postgres.js pool. Queries are plain SQL
 * through postgres.js; drizzle defines the schema and generates migrations only,
 * because drizzle's postgres-js driver rewires the client's JSON and date
 * serializers, which breaks `sql.json()` and Date parsing for raw queries on the
 * same pool. The launcher,
 * the CLI and Next's bundled route handlers all load their own copy of this
 * module, so the handle lives on globalThis and every copy shares one pool.
 */
import postgres, { type Sql } from "postgres";
import { env } from "../env";
import { logger } from "../log";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-postgres";

export interface Database {
  url: string;
  sql: Sql;
  embedded?: EmbeddedPostgres;
  /** Ends the pool, then stops the embedded server when this process owns it. */
  close(): Promise<void>;
}

const KEY = Symbol.for("flowport.database");
type Holder = typeof globalThis & { [KEY]?: Promise<Database> };

export function createSql(url: string, max = 10): Sql {
  return postgres(url, {
    max,
    // Fail fast when the database is down instead of hanging requests (default is 30 s).
    connect_timeout: 5,
    // A query that finds every connection closed waits this long before connecting. postgres.js's
    // default grows to 7-20 s after a few failures (shared by the pool), so during and after a
    // database restart requests hung past 10 s; capped at 1 s they fail fast (503) and recover
    // within a second of the database's return (faults/postgres-restart.test.ts).
    backoff: reconnectDelaySeconds,
    idle_timeout: 60,
    onnotice: () => undefined,
  });
}

/** 50 ms, doubling per consecutive failure, at most 1 s. */
export function reconnectDelaySeconds(failures: number): number {
  return Math.min(0.05 * 2 ** failures, 1);
}

export function databaseFromUrl(url: string, embedded?: EmbeddedPostgres, max?: number): Database {
  const sql = createSql(url, max);
  return {
    url,
    sql,
    embedded,
    async close() {
      await sql.end({ timeout: 5 });
      await embedded?.stop();
    },
  };
}

/**
 * Connects to DATABASE_URL, or to the embedded PostgreSQL in FLOWPORT_DATA_DIR:
 * attaching when it runs, starting (and owning) it when it does not.
 */
export async function openDatabase(options: { role?: "owner" | "guest"; max?: number } = {}): Promise<Database> {
  const { DATABASE_URL, dataDir } = env();
  if (DATABASE_URL) return databaseFromUrl(DATABASE_URL, undefined, options.max);
  const log = logger().child({ component: "embedded-postgres" });
  const embedded = await startEmbeddedPostgres({ dataDir, role: options.role ?? "owner", log: (m) => log.info(m) });
  return databaseFromUrl(embedded.url, embedded, options.max);
}

/** Installs the process-wide database (the launcher does this once, at boot). */
export function setDatabase(database: Promise<Database>): void {
  (globalThis as Holder)[KEY] = database;
}

/** The process-wide database, opened on first use when nothing installed one. */
export function getDatabase(): Promise<Database> {
  const holder = globalThis as Holder;
  holder[KEY] ??= openDatabase({ role: "guest", max: 20 });
  return holder[KEY];
}

/** The process-wide SQL pool. */
export async function getSql(): Promise<Sql> {
  return (await getDatabase()).sql;
}
