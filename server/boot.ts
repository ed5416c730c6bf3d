/**
 * Everything a process needs before it serves or works: the database (embedded
 * or DATABASE_URL), migrations, first-run seeding. Shared by the launcher, the
 * CLI and the test harness so they can never disagree about start-up.
 */
import { openDatabase, setDatabase, type Database } from "./db/client";
import { migrateDatabase } from "./db/migrate";
import { ensureExecutionPartitions } from "./executions/partitions";
import { seedOnFirstRun, type SeedResult } from "./seed";
import { repointDemoConnections } from "./seed/demo-outgoing";
import { secretKey } from "./secrets/secret-key";

export interface Booted {
  database: Database;
  seed: SeedResult;
}

export async function boot(options: { migrate?: boolean; seed?: boolean; role?: "owner" | "guest" } = {}): Promise<Booted> {
  const opening = openDatabase({ role: options.role ?? "owner", max: 20 });
  setDatabase(opening);
  const database = await opening;
  try {
    // postgres.js learns the server's array types on its first connection; a query that races it
    // sends an array parameter malformed ("malformed array literal"). A process that does not
    // migrate or seed (the supervisor's web and worker) would otherwise race with its first call.
    await database.sql`select 1`;
    secretKey(); // create (and warn about) the generated key at start-up, not on first use
    if (options.migrate !== false) {
      await migrateDatabase(database.url);
      await ensureExecutionPartitions(database.sql);
    }
    const seed = options.seed === false ? { banner: [] } : await seedOnFirstRun(database);
    if (options.seed !== false) await repointDemoConnections(database.sql);
    return { database, seed };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}
