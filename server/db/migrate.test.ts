import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { Logger, runMigrations } from "graphile-worker";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../testing/database";
import { migrateDatabase } from "./migrate";

/** A copy of drizzle/ that stops before migration `tag`: the database an earlier version left. */
function migrationsBefore(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flowport-migrations-"));
  fs.cpSync("drizzle", dir, { recursive: true });
  const journalPath = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  expect(at).toBeGreaterThan(0);
  for (const later of journal.entries.slice(at)) fs.rmSync(path.join(dir, `${later.tag}.sql`));
  fs.writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  return dir;
}

/** How many migrations there are from `tag` on (later branches add their own after it). */
function migrationsFrom(tag: string): number {
  const journal = JSON.parse(fs.readFileSync(path.join("drizzle", "meta", "_journal.json"), "utf8")) as { entries: { tag: string }[] };
  return journal.entries.length - journal.entries.findIndex((e) => e.tag === tag);
}

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

  it("hands record-event jobs an earlier version queued back to the event outbox (drizzle/0016), leaving a job a live worker holds", async () => {
    const db = await createTestDatabase({ fromTemplate: false });
    cleanups.push(db.drop);
    const older = migrationsBefore("0016_record_event_jobs_to_outbox");
    await migrate(drizzle(db.sql), { migrationsFolder: older });
    await runMigrations({ connectionString: db.url, logger: new Logger(() => () => undefined) });
    fs.rmSync(older, { recursive: true });

    const event = (recordId: string) => ({ entity: "Invoice", recordId, event: "status_changed", status: "approved", from: "draft", at: "2026-11-29T10:00:00.000Z" });
    const queue = async (recordId: string) => {
      const [job] = await db.sql<{ id: string }[]>`select id from graphile_worker.add_job('record-event', ${JSON.stringify(event(recordId))}::json)`;
      return job!.id;
    };
    await queue("INV-WAITING");
    const expired = await queue("INV-DEAD-WORKER");
    const held = await queue("INV-HELD");
    const failed = await queue("INV-FAILED-FOR-GOOD");
    await db.sql`update graphile_worker._private_jobs set locked_at = now() - interval '5 hours', locked_by = 'dead' where id = ${expired}`;
    await db.sql`update graphile_worker._private_jobs set locked_at = now(), locked_by = 'old-worker' where id = ${held}`;
    await db.sql`update graphile_worker._private_jobs set attempts = max_attempts where id = ${failed}`;
    await db.sql`select graphile_worker.add_job('ping', '{}'::json)`;

    expect((await migrateDatabase(db.url)).flowport.applied).toBe(migrationsFrom("0016_record_event_jobs_to_outbox"));

    const outbox = await db.sql<{ payload: { recordId: string } }[]>`select payload from record_events order by id`;
    expect(outbox.map((r) => r.payload)).toEqual([event("INV-WAITING"), event("INV-DEAD-WORKER")]);
    const left = await db.sql<{ task: string; record: string | null }[]>`
      select t.identifier as task, j.payload->>'recordId' as record from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id order by j.id`;
    expect(left).toEqual([
      { task: "record-event", record: "INV-HELD" },
      { task: "record-event", record: "INV-FAILED-FOR-GOOD" },
      { task: "ping", record: null },
    ]);
  });
});
