import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../testing/database";
import { migrateDatabase } from "./migrate";

describe("migrateDatabase", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  it("migrates an empty database, safely when two processes start at once, and is idempotent", async () => {
    const db = await createTestDatabase({ fromTemplate: false });
    cleanups.push(db.drop);
    const expected = fs.readdirSync("drizzle").filter((f) => f.endsWith(".sql")).length;

    const [a, b] = await Promise.all([migrateDatabase(db.url), migrateDatabase(db.url)]);
    expect(a.flowport.applied + b.flowport.applied).toBe(expected);
    expect(a.flowport.total).toBe(expected);
    expect(b.flowport.total).toBe(expected);

    const again = await migrateDatabase(db.url);
    expect(again.flowport.applied).toBe(0);

    const tables = await db.sql<{ name: string }[]>`
      select table_schema || '.' || table_name as name from information_schema.tables
      where table_schema in ('public', 'graphile_worker') order by 1`;
    const names = tables.map((t) => t.name);
    expect(names).toContain("public.worker_heartbeats");
    expect(names).toContain("public.app_meta");
    expect(names.some((n) => n.startsWith("graphile_worker."))).toBe(true);
  });
});
