/**
 * Runs a CLI command against the app's database: DATABASE_URL, or the embedded
 * PostgreSQL in FLOWPORT_DATA_DIR — attaching while the app runs, starting it
 * for the command's duration when it does not.
 */
import { openDatabase, setDatabase, type Database } from "../db/client";

export async function withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  const opening = openDatabase({ role: "guest", max: 4 });
  setDatabase(opening);
  const database = await opening;
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}
