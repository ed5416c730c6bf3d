/**
 * A database of this test file's own, cloned from the run's migrated template and
 * installed as the process-wide database, so code under test that calls getSql()
 * uses it. Real PostgreSQL, nothing mocked.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";
import { databaseFromUrl, setDatabase, type Database } from "../db/client";
import { withDatabase } from "./global-setup";

export async function createTestDatabase(options: { fromTemplate?: boolean } = {}): Promise<Database & { name: string; drop(): Promise<void> }> {
  const adminUrl = inject("adminDatabaseUrl");
  const template = inject("templateDatabase");
  const name = `${template.replace("tpl", "t")}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    await admin.unsafe(options.fromTemplate === false ? `create database ${name}` : `create database ${name} template ${template}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const database = databaseFromUrl(withDatabase(adminUrl, name));
  return {
    ...database,
    name,
    async drop() {
      await database.sql.end({ timeout: 5 });
      const a = postgres(adminUrl, { max: 1, onnotice: () => undefined });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end({ timeout: 5 });
    },
  };
}

/** Gives the file a fresh migrated database for all its tests; returns a getter. */
export function useTestDatabase(): () => Database {
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    setDatabase(Promise.resolve(database));
  });
  afterAll(async () => {
    await database?.drop();
  });
  return () => {
    if (!database) throw new Error("useTestDatabase(): the database exists only inside tests and hooks");
    return database;
  };
}
