/**
 * Runs a CLI command against the app's database: DATABASE_URL, or the embedded
 * PostgreSQL in FLOWPORT_DATA_DIR — attaching while the app runs, starting it
 * for the command's duration when it does not. Like the app, it migrates and
 * seeds first (both idempotent), so a command on a fresh data dir just works.
 */
import { boot } from "../boot";
import type { Database } from "../db/client";
import { closeAuth } from "../auth/process-auth";

export async function withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  const { database } = await boot({ role: "guest" });
  try {
    return await fn(database);
  } finally {
    await closeAuth();
    await database.close();
  }
}
