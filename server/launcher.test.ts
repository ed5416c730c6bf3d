/**
 * The two-command promise, tested on the real launcher: start on an empty data dir
 * (embedded PostgreSQL, migrations, worker, Next), answer /api/health, stop cleanly
 * on SIGTERM leaving no PostgreSQL behind, and survive kill -9 plus restart; in one
 * process (FLOWPORT_PROCESSES=1) and as a supervisor with web and worker processes (2).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuild } from "./build/ensure-build";
import { findFreePort, isAlive } from "./db/embedded-postgres";
import { BUSY_AT } from "./outgoing/give-way";
import { childEnv, postmasterPid, spawnNode, tempDataDir, waitUntil, type Spawned } from "./testing/processes";

const dataDir = tempDataDir("launcher");
const twoDataDir = tempDataDir("launcher-two");
let port = 0;
let demoPort = 0;
const running: Spawned[] = [];
const METRICS_TOKEN = "launcher-test-metrics-token";

beforeAll(async () => {
  ensureBuild();
  port = await findFreePort();
  demoPort = await findFreePort();
}, 600_000);

afterAll(async () => {
  for (const p of running) {
    for (const pid of childPids(p)) process.kill(pid, "SIGKILL");
    p.child.kill("SIGKILL");
  }
  for (const dir of [dataDir, twoDataDir]) {
    const pid = postmasterPid(dir);
    if (pid) process.kill(pid, "SIGQUIT");
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function launch(extra: Record<string, string> = {}) {
  const app = spawnNode(
    ["server/main.ts"],
    childEnv({ FLOWPORT_DATA_DIR: dataDir, PORT: String(port), FLOWPORT_DEMO_PORT: String(demoPort), FLOWPORT_PROCESSES: "1", ...extra }),
  );
  running.push(app);
  return app;
}

/** The supervisor's web and worker processes (node children running server/main.ts). */
function childPids(app: Spawned): number[] {
  if (app.child.pid === undefined) return [];
  try {
    return execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(app.child.pid)], { encoding: "utf8" })
      .split("\n")
      .filter((line) => line.includes("server/main.ts"))
      .map((line) => Number(line.trim().split(/\s+/)[0]));
  } catch {
    return []; // ps exits 1 when there is none
  }
}

async function metricsText() {
  const res = await fetch(`http://127.0.0.1:${port}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  return res.status === 200 ? res.text() : "";
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

  it("two processes: boots the database once, the worker process delivers to the demo receivers, metrics aggregate, SIGTERM stops all", async () => {
    const app = launch({ FLOWPORT_DATA_DIR: twoDataDir, FLOWPORT_PROCESSES: "2", FLOWPORT_METRICS_TOKEN: METRICS_TOKEN, LOG_LEVEL: "info" });
    await waitUntil(healthy, 120_000, "health 200");
    const report = await health();
    expect(report?.body.worker.ok).toBe(true);
    await waitUntil(() => app.output().includes("Stop with Ctrl-C."), 10_000, "the banner");
    expect(app.output().match(/Flowport is running \(web \+ worker, two processes/g)).toHaveLength(1);
    expect(app.output().match(/initialising a new PostgreSQL cluster/g)).toHaveLength(1);
    expect(app.output().match(/first admin created/g)).toHaveLength(1);
    const children = childPids(app);
    expect(children).toHaveLength(2);

    // The first call a fresh web process answers, and the event it commits is delivered by the worker process.
    const { apiKey } = JSON.parse(fs.readFileSync(path.join(twoDataDir, "demo-credentials.json"), "utf8")) as { apiKey: string };
    const call = await fetch(`http://127.0.0.1:${port}/api/v1/integration/incoming/vendor-master`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": apiKey },
      body: JSON.stringify({ vendorName: "Two Process Traders", gstNumber: "27ABCDE1234F1Z5", mobile: "9876543210", email: "two@example.com", city: "Mumbai" }),
    });
    expect(call.status).toBe(200);
    // Counted in the worker process, read through the web process's /api/metrics.
    const delivered = /flowport_outgoing_delivery_attempts_total\{flow="vendor-to-payment-portal",status="SUCCESS",connection="payment-portal"\} 1\b/;
    await waitUntil(async () => delivered.test(await metricsText()), 30_000, "the worker's delivery in /api/metrics");
    const text = await metricsText();
    expect(text).toMatch(/flowport_incoming_requests_total\{flow="vendor-master",status="SUCCESS",http_status="200"\} 1\b/);
    expect(text).toContain("flowport_job_queue_depth");
    expect(text).toMatch(/^flowport_deliveries_giving_way 0$/m);

    // Live calls first (server/outgoing/give-way.ts): calls the web process is answering (their
    // bodies still arriving) make the worker process give way, told through the supervisor.
    const held = Array.from({ length: BUSY_AT }, () => {
      const req = http.request(`http://127.0.0.1:${port}/api/v1/integration/incoming/vendor-master`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": apiKey, "content-length": "1000" },
      });
      req.on("error", () => undefined);
      req.write('{"vendorName": "Slow');
      return req;
    });
    await waitUntil(async () => /^flowport_deliveries_giving_way 1$/m.test(await metricsText()), 10_000, "the worker giving way");
    held.forEach((req) => req.destroy());
    await waitUntil(async () => /^flowport_deliveries_giving_way 0$/m.test(await metricsText()), 10_000, "the worker delivering freely again");
    // The demo receivers answer on their own port, not inside the app.
    expect((await fetch(`http://127.0.0.1:${demoPort}/payment-portal`, { method: "POST", body: "{}" })).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/api/demo/payment-portal`, { method: "POST", body: "{}" })).status).toBe(404);

    const pg = postmasterPid(twoDataDir)!;
    app.child.kill("SIGTERM");
    expect(await app.exited).toBe(0);
    expect(children.filter(isAlive)).toEqual([]);
    await waitUntil(() => !isAlive(pg), 10_000, "PostgreSQL to stop");
  }, 240_000);

  it("two processes: a child killed with kill -9 stops the whole app with exit code 1, PostgreSQL too", async () => {
    const app = launch({ FLOWPORT_DATA_DIR: twoDataDir, FLOWPORT_PROCESSES: "2" });
    await waitUntil(healthy, 120_000, "health 200");
    await waitUntil(() => childPids(app).length === 2, 10_000, "two children");
    const [web, worker] = childPids(app) as [number, number];
    const pg = postmasterPid(twoDataDir)!;
    process.kill(worker, "SIGKILL");
    expect(await app.exited).toBe(1);
    await waitUntil(() => !isAlive(web), 10_000, "the web process to stop");
    await waitUntil(() => !isAlive(pg), 10_000, "PostgreSQL to stop");
  }, 180_000);

  it("refuses a bad setting with a message naming it", async () => {
    const bad = launch({ PORT: "eighty" });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/PORT: must be a number/);
    const badCount = launch({ FLOWPORT_PROCESSES: "3" });
    expect(await badCount.exited).toBe(1);
    expect(badCount.output()).toMatch(/FLOWPORT_PROCESSES: must be auto, 1 or 2/);
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
