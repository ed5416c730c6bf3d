/**
 * PostgreSQL restarted during incoming load (issue 8): the app (web + worker in one process) runs
 * on a PostgreSQL server of this test's own, which is shut down (fast shutdown: every backend
 * terminated) 3 s into the load and started again 5 s later. Requests meanwhile must fail fast
 * with the seed's error shape and 503 (none hang past 10 s, none is a 500), and the same process
 * must serve again within 10 s of the database returning; /api/health says 503 while down and 200
 * once recovered.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/server/db/embedded-postgres";
import { createSql } from "@/server/db/client";
import { tempDataDir, waitUntil } from "@/server/testing/processes";
import { checkRecordsAndLogs, countBy, launchApp, startLoad, waitReady, type App } from "./harness";

const DOWN_AT_MS = 3_000;
const DOWN_FOR_MS = 5_000;
/** Slower than this is a hang: just under reserveWithin's bound (server/db/reserve-within.ts). */
const SLOW_ANSWER_MS = 4_500;
const AFTER_MS = 6_000;

const pgDir = tempDataDir("faults-pg");
const appDir = tempDataDir("faults-pg-app");
let pg: EmbeddedPostgres | undefined;
let app: App | undefined;

beforeAll(async () => {
  pg = await startEmbeddedPostgres({ dataDir: pgDir, role: "owner", database: "flowport_faults" });
});

afterAll(async () => {
  await app?.kill9();
  await pg?.stop();
  fs.rmSync(pgDir, { recursive: true, force: true });
  fs.rmSync(appDir, { recursive: true, force: true });
});

async function health(url: string) {
  try {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5_000) });
    return res.status;
  } catch {
    return 0;
  }
}

describe("PostgreSQL restarted under load", () => {
  it("answers 503 fast while the database is down and recovers on its own within 10 s of its return", async () => {
    app = await launchApp({
      databaseUrl: pg!.url,
      role: "all",
      env: { FLOWPORT_DATA_DIR: appDir, FLOWPORT_SECRET_KEY: randomBytes(32).toString("base64") },
    });
    await waitReady(app);
    const apiKey = /demo API key \(client "demo"\): (\S+)/.exec(app.output())![1]!;
    await waitUntil(async () => (await health(app!.url)) === 200, 30_000, "health 200 before the outage");

    const since = new Date(Date.now() - 1_000);
    const load = startLoad({ targets: [app.url], apiKey, connections: 8, durationMs: 120_000, timeoutMs: 15_000, pauseOnErrorMs: 50 });
    await new Promise((r) => setTimeout(r, DOWN_AT_MS));

    const downAt = Date.now();
    await pg!.stop();
    const stoppedMs = Date.now() - downAt;
    await new Promise((r) => setTimeout(r, 1_000));
    const healthWhileDown = await health(app.url);
    await new Promise((r) => setTimeout(r, DOWN_FOR_MS - 1_000 - stoppedMs));

    const restartBeganAt = Date.now();
    pg = await startEmbeddedPostgres({ dataDir: pgDir, role: "owner", database: "flowport_faults" });
    const upAt = Date.now();
    await waitUntil(async () => (await health(app!.url)) === 200, 20_000, "health 200 after the outage").catch(async (error: Error) => {
      const res = await fetch(`${app!.url}/api/health`).then((r) => r.text(), (e: Error) => e.message);
      fs.writeFileSync("/tmp/faults-pg-app.log", app!.output());
      throw new Error(`${error.message}\nhealth: ${res}\napp output:\n${app!.output().slice(-4000)}`);
    });
    const healthyAfterMs = Date.now() - upAt;
    await new Promise((r) => setTimeout(r, AFTER_MS));
    const answers = await load.stop();

    const statuses = countBy(answers, (a) => a.status);
    const slowest = Math.max(...answers.map((a) => a.ms));
    // Started and answered while the server was surely down (stopped, not yet starting again).
    const during = answers.filter((a) => a.startedAt >= downAt + stoppedMs && a.startedAt + a.ms <= restartBeganAt);
    const firstOkAfter = answers.filter((a) => a.status === 200 && a.startedAt >= upAt).sort((a, b) => a.startedAt + a.ms - (b.startedAt + b.ms))[0];
    const recoveredMs = firstOkAfter ? firstOkAfter.startedAt + firstOkAfter.ms - upAt : Infinity;
    console.log(
      `postgres restart: ${answers.length} requests, by status ${JSON.stringify(statuses)}; ${during.length} while down (slowest answer overall ${slowest} ms); ` +
        `database stopped in ${stoppedMs} ms, down ${upAt - downAt} ms; first 200 ${recoveredMs} ms after it returned, health 200 after ${healthyAfterMs} ms`,
    );

    for (const a of answers.filter((x) => x.ms >= SLOW_ANSWER_MS || x.status === 0)) {
      console.log(`postgres restart: slow or unanswered: ${a.status} ${a.error ?? ""} after ${a.ms} ms, started ${a.startedAt - downAt} ms after the stop began`);
    }
    // The process never restarted: the same child served throughout.
    expect(app.child.exitCode).toBeNull();
    // Nothing hung, nothing was a 500 or a dropped connection: 200 or a clear 503. Under reserveWithin's
    // 5 s bound: a call that waited for a connection until it gave up is a hang too (postgres.js lost
    // reserves opened for by a reconnecting connection; patches/postgres+3.4.9.patch).
    expect(slowest).toBeLessThan(SLOW_ANSWER_MS);
    expect(Object.keys(statuses).sort()).toEqual(["200", "503"]);
    expect(during.length).toBeGreaterThan(10);
    expect(during.filter((a) => a.status !== 503).map((a) => `${a.status} started ${a.startedAt - downAt} ms after the stop began`)).toEqual([]);
    const refused = answers.find((a) => a.status === 503)!;
    expect(refused.body).toMatchObject({ status: "error", errorCode: "SERVICE_UNAVAILABLE", requestId: expect.any(String) });
    expect(JSON.stringify(refused.body)).not.toMatch(/ECONN|57P0|postgres/i);
    expect(healthWhileDown).toBe(503);

    // Back within 10 s of the database's return, and steady after.
    expect(recoveredMs).toBeLessThan(10_000);
    expect(healthyAfterMs).toBeLessThan(10_000);
    const settled = answers.filter((a) => a.startedAt > upAt + recoveredMs + 500);
    expect(settled.length).toBeGreaterThan(0);
    if (settled.some((a) => a.status !== 200)) {
      // Why the app refused after it had recovered (seen once in CI: one 503 978 ms after the return).
      const after = app.output().split("\n").filter((l) => /"level":(40|50|60)/.test(l) && Number(/"time":(\d+)/.exec(l)?.[1] ?? 0) >= upAt);
      console.log(`postgres restart: the app's warnings and errors after the return:\n${after.slice(0, 30).join("\n")}`);
    }
    expect(settled.filter((a) => a.status !== 200).map((a) => `${a.status} started ${a.startedAt - upAt} ms after the return`)).toEqual([]);

    // And nothing acknowledged went missing across the restart.
    const sql = createSql(pg!.url, 2);
    try {
      const check = await checkRecordsAndLogs(sql, answers, since);
      expect(check.missingRecords).toEqual([]);
      expect(check.missingLogs).toEqual([]);
      expect(check.recordsWithoutLog).toEqual([]);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
});
