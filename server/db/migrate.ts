/**
 * Applies Flowport's drizzle migrations and graphile-worker's schema. Idempotent,
 * and safe when several processes start at once: a session advisory lock lets one
 * migrate while the others wait, then find nothing left to do.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { Logger, runMigrations } from "graphile-worker";
import postgres from "postgres";
import { ensureSeriesSequences } from "../records/series";

const MIGRATIONS_FOLDER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../drizzle");
/** Arbitrary but fixed: the advisory lock key every Flowport process agrees on. */
const MIGRATION_LOCK_KEY = 7_004_250_001;

export interface MigrationResult {
  flowport: { applied: number; total: number };
  graphileWorker: "ok";
  durationMs: number;
}

export async function migrateDatabase(url: string): Promise<MigrationResult> {
  const started = performance.now();
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    const before = await countApplied(sql);
    await migrate(drizzle(sql), { migrationsFolder: MIGRATIONS_FOLDER });
    const after = await countApplied(sql);
    await runMigrations({ connectionString: url, logger: silentGraphileLogger });
    await ensureSeriesSequences(sql);
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    return {
      flowport: { applied: after - before, total: after },
      graphileWorker: "ok",
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function countApplied(sql: postgres.Sql): Promise<number> {
  const [exists] = await sql<{ ok: boolean }[]>`select to_regclass('drizzle.__drizzle_migrations') is not null as ok`;
  if (!exists?.ok) return 0;
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
  return row?.n ?? 0;
}

const silentGraphileLogger = new Logger(() => () => undefined);
