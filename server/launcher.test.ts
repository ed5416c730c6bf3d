/**
 * The two-command promise, tested on the real launcher: start on an empty data dir
 * (embedded PostgreSQL, migrations, worker, Next), answer /api/health, stop cleanly
 * on SIGTERM leaving no PostgreSQL behind, and survive kill -9 plus restart.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuild } from "./build/ensure-build";
import { findFreePort, isAlive } from "./db/embedded-postgres";
import { childEnv, postmasterPid, spawnNode, tempDataDir, waitUntil, type Spawned } from "./testing/processes";

const dataDir = tempDataDir("launcher");
let port = 0;
const running: Spawned[] = [];

beforeAll(async () => {
  ensureBuild();
  port = await findFreePort();
}, 480_000);

afterAll(async () => {
  for (const p of running) p.child.kill("SIGKILL");
  const pid = postmasterPid(dataDir);
  if (pid) process.kill(pid, "SIGQUIT");
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function launch(extra: Record<string, string> = {}) {
  const app = spawnNode(["server/main.ts"], childEnv({ FLOWPORT_DATA_DIR: dataDir, PORT: String(port), ...extra }));
  running.push(app);
  return app;
}

async function health() {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/health`);
    return { status: res.status, body: (await res.json()) as { status: string; worker: { ok: boolean } } };
  } catch {
    return undefined;
  }
}

const healthy = async () => (await health())?.status === 200;

describe("launcher", () => {
  it("starts on an empty data dir, reports healthy, and stops everything on SIGTERM", async () => {
    const app = launch();
    await waitUntil(healthy, 90_000, "health 200");
    expect(app.output()).toContain(`http://localhost:${port}`);
    const page = await fetch(`http://127.0.0.1:${port}/flows`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Flowport");

    const pg = postmasterPid(dataDir)!;
    expect(pg).toBeGreaterThan(0);
    app.child.kill("SIGTERM");
    expect(await app.exited).toBe(0);
    await waitUntil(() => !isAlive(pg), 10_000, "PostgreSQL to stop");
  }, 120_000);

  it("after kill -9, a restart adopts the orphaned PostgreSQL and answers again", async () => {
    const first = launch();
    await waitUntil(healthy, 60_000, "health 200");
    const pg = postmasterPid(dataDir)!;
    first.child.kill("SIGKILL");
    await first.exited;
    expect(isAlive(pg)).toBe(true);

    const second = launch();
    await waitUntil(healthy, 60_000, "health 200 after restart");
    expect(postmasterPid(dataDir)).toBe(pg);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    await waitUntil(() => !isAlive(pg), 10_000, "PostgreSQL to stop");
  }, 120_000);

  it("reports 503 when the worker is not running", async () => {
    const web = launch({ FLOWPORT_ROLE: "web" });
    await waitUntil(async () => (await health()) !== undefined, 60_000, "the web server");
    const report = await health();
    expect(report?.status).toBe(503);
    expect(report?.body.worker.ok).toBe(false);
    web.child.kill("SIGTERM");
    expect(await web.exited).toBe(0);
  }, 90_000);

  it("refuses a bad setting with a message naming it", async () => {
    const bad = launch({ PORT: "eighty" });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/PORT: must be a number/);
  });
});

describe("flowport CLI", () => {
  it("db migrate --json starts the embedded database for the command, or attaches while the app runs", async () => {
    const alone = spawnNode(["bin/flowport.js", "db", "migrate", "--json"], childEnv({ FLOWPORT_DATA_DIR: dataDir }));
    expect(await alone.exited).toBe(0);
    expect(JSON.parse(alone.output())).toMatchObject({ ok: true, flowport: { applied: 0 } });
    expect(postmasterPid(dataDir)).toBeUndefined(); // started for the command, stopped after

    const app = launch();
    await waitUntil(healthy, 60_000, "health 200");
    const pg = postmasterPid(dataDir)!;
    const attached = spawnNode(["bin/flowport.js", "db", "migrate", "--json"], childEnv({ FLOWPORT_DATA_DIR: dataDir }));
    expect(await attached.exited).toBe(0);
    expect(isAlive(pg)).toBe(true); // a guest never stops the app's database
    expect(await healthy()).toBe(true);
    app.child.kill("SIGTERM");
    expect(await app.exited).toBe(0);
  }, 120_000);

  it("--help lists the commands", async () => {
    const help = spawnNode(["bin/flowport.js", "--help"], childEnv({ FLOWPORT_DATA_DIR: dataDir }));
    expect(await help.exited).toBe(0);
    expect(help.output()).toContain("db");
  });
});
