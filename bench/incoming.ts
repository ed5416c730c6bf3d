/**
 * Incoming scenario (issue 4): the published vendor-master flow over HTTP at 32
 * connections for 15 s with unique GSTINs, against the real app (web process,
 * production build, embedded PostgreSQL), then the hand-written baseline against
 * the same database. Each load runs in its own process.
 */
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { findFreePort } from "../server/db/embedded-postgres";
import { ensureBuild } from "../server/build/ensure-build";
import { childEnv, postmasterPid, spawnNode, tempDataDir, waitUntil } from "../server/testing/processes";
import type { LoadResult } from "./load";
import { cpuMeter } from "./cpu";
import { benchDatabase } from "./fresh-database";
import { exitOnInterrupt } from "./interrupt";

type Measured = LoadResult & { cpu: CpuPerUnit };
type CpuPerUnit = ReturnType<ReturnType<typeof cpuMeter>>;

export interface IncomingBenchResult {
  /** cpu: ms per request of the server process and of PostgreSQL, during the measured run. */
  flowport: Measured;
  baseline: Measured;
  connections: number;
  durationMs: number;
  /** "embedded PostgreSQL" or the fresh database's label on BENCH_DATABASE_URL's server. */
  database: string;
}

const ROOT = path.resolve(import.meta.dirname, "..");

function measured(pids: { app?: number; postmaster?: number }, run: () => LoadResult): Measured {
  const meter = cpuMeter(pids);
  const result = run();
  return { ...result, cpu: meter(result.requests) };
}

function load(url: string, headers: Record<string, string>, prefix: string, durationMs: number, connections: number): LoadResult {
  const out = execFileSync(process.execPath, ["--import", "tsx", path.join(ROOT, "bench/load-worker.ts"), JSON.stringify({ url, headers, prefix, durationMs, connections })], { cwd: ROOT });
  return JSON.parse(out.toString().trim().split("\n").at(-1)!) as LoadResult;
}

export function embeddedUrl(dataDir: string): string {
  const settings = JSON.parse(fs.readFileSync(path.join(dataDir, "embedded-postgres.json"), "utf8")) as { password: string };
  const pgPort = fs.readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[3];
  return `postgres://postgres:${encodeURIComponent(settings.password)}@127.0.0.1:${pgPort}/flowport`;
}

export async function benchIncoming(options: { durationMs?: number; connections?: number } = {}): Promise<IncomingBenchResult> {
  const durationMs = options.durationMs ?? 15_000;
  const connections = options.connections ?? 32;
  ensureBuild();
  const dataDir = tempDataDir("bench");
  const port = await findFreePort();
  // BENCH_DATABASE_URL=<a PostgreSQL server> (+ BENCH_POSTMASTER_PID): run on a fresh database there,
  // for example on a server started with pg_stat_statements to see which statements cost what.
  const own = await benchDatabase("incoming");
  const app = spawnNode(["server/main.ts"], childEnv({ FLOWPORT_DATA_DIR: dataDir, PORT: String(port), FLOWPORT_ROLE: "web", LOG_LEVEL: "error", ...(own ? { DATABASE_URL: own.url } : {}) }));
  const stopApp = () => app.child.kill("SIGTERM"); // the app stops its own PostgreSQL
  process.once("exit", stopApp);
  try {
    await waitUntil(() => fs.existsSync(path.join(dataDir, "demo-credentials.json")) && app.output().includes("Flowport is running"), 120_000, "the app");
    const { apiKey } = JSON.parse(fs.readFileSync(path.join(dataDir, "demo-credentials.json"), "utf8")) as { apiKey: string };
    const url = `http://127.0.0.1:${port}/api/v1/integration/incoming/vendor-master`;
    const headers = { "content-type": "application/json", "x-api-key": apiKey };
    load(url, headers, "WRM", 3_000, connections);
    const postmaster = own ? own.pid : postmasterPid(dataDir);
    const flowport = measured({ app: app.child.pid, postmaster }, () => load(url, headers, "FLP", durationMs, connections));

    const dbUrl = own?.url ?? embeddedUrl(dataDir);
    const basePort = await findFreePort();
    const baselineServer = spawn(process.execPath, ["--import", "tsx", "bench/incoming-baseline.ts", dbUrl, String(basePort)], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let ready = false;
    baselineServer.stdout!.on("data", (d) => (ready ||= String(d).includes("ready")));
    await waitUntil(() => ready, 30_000, "the baseline server");
    const baseUrl = `http://127.0.0.1:${basePort}/`;
    load(baseUrl, headers, "WRB", 3_000, connections);
    const baseline = measured({ app: baselineServer.pid, postmaster }, () => load(baseUrl, headers, "BSL", durationMs, connections));
    baselineServer.kill("SIGTERM");
    return { flowport, baseline, connections, durationMs, database: own?.label ?? "embedded PostgreSQL" };
  } finally {
    process.off("exit", stopApp);
    app.child.kill("SIGTERM");
    await app.exited;
    const pid = postmasterPid(dataDir);
    if (pid) process.kill(pid, "SIGQUIT");
    await own?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith("bench/incoming.ts")) {
  exitOnInterrupt();
  console.log(JSON.stringify(await benchIncoming(), null, 2));
}
