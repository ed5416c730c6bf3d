/**
 * Chain scenario (issue 19): what a user runs. The app started as `npm start` starts it
 * (web + worker, FLOWPORT_ROLE unset: two processes under the supervisor on two or more
 * cores; FLOWPORT_PROCESSES passes through), the seeded example flows published,
 * the payment-portal connection pointed at a receiver in this process; vendor-master
 * calls with unique GSTINs for BENCH_SECONDS (10 s by default), each record's "created"
 * event delivered by vendor-to-payment-portal. Measured: incoming req/s, p50/p99,
 * non-2xx; event→delivery p50/p99 (the load generator's send time → the receiver's
 * arrival); the backlog when the load ends and how long it takes to empty (cap 60 s).
 *
 * Beside it, in the same run and on the same database, two hand-written baselines:
 * the naive incoming (bench/incoming-baseline.ts: record + log row) and the same-work
 * chain (bench/chain-baseline.ts: record + log + outbox row, a claim/post/mark loop).
 *
 * Database: the app's embedded PostgreSQL; with BENCH_DATABASE_URL (for example the
 * PG 15 service, postgres://postgres@127.0.0.1:5432/test) a fresh database is created
 * on that server for the run and dropped after it.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import postgres from "postgres";
import { findFreePort } from "../server/db/embedded-postgres";
import { ensureBuild } from "../server/build/ensure-build";
import { setConnection } from "../server/outgoing/connections";
import { childEnv, postmasterPid, spawnNode, tempDataDir, waitUntil } from "../server/testing/processes";
import { deliveryMetrics, type DeliveryMetrics, type Send } from "./chain-metrics";
import { cpuMeter } from "./cpu";
import { benchDatabase } from "./fresh-database";
import { embeddedUrl } from "./incoming";
import { exitOnInterrupt } from "./interrupt";
import { epochMs, type LoadResult } from "./load";

type CpuPerUnit = ReturnType<ReturnType<typeof cpuMeter>>;
export type ChainMeasured = LoadResult & { cpu: CpuPerUnit; delivery?: DeliveryMetrics };

export interface ChainBenchResult {
  /** "embedded PostgreSQL 17" / "PostgreSQL 15.x (BENCH_DATABASE_URL)". */
  database: string;
  connections: number;
  durationMs: number;
  drainCapMs: number;
  /** How the app ran, from its banner: "web + worker, two processes" or "web + worker, one process". */
  processModel?: string;
  /** Flowport as `npm start` runs it: incoming + deliveries. */
  flowport: ChainMeasured & { delivery: DeliveryMetrics; duplicates: number };
  naive: ChainMeasured;
  handChain: ChainMeasured & { delivery: DeliveryMetrics };
}

const ROOT = path.resolve(import.meta.dirname, "..");
const DRAIN_CAP_MS = 60_000;

/** The portal stand-in: answers 200 and keeps the first arrival (epoch ms) of each vendor's GSTIN. */
function receiver() {
  const arrivals = new Map<string, number>();
  const keys = new Set<string>();
  let duplicates = 0;
  let posts = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = epochMs();
      posts++;
      const key = req.headers["idempotency-key"];
      if (typeof key === "string") {
        if (keys.has(key)) duplicates++;
        keys.add(key);
      }
      try {
        const gstin = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { gstin?: string }).gstin;
        if (gstin && !arrivals.has(gstin)) arrivals.set(gstin, at);
      } catch {
        // counted in posts anyway
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: "registered", vendorId: `PP-${posts}` }));
    });
  });
  return { server, arrivals, duplicates: () => duplicates, posts: () => posts };
}

/** One load in its own process (asynchronously: the receiver in this process must keep answering). */
function load(url: string, headers: Record<string, string>, prefix: string, durationMs: number, connections: number, sendLog?: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const spec = JSON.stringify({ url, headers, prefix, durationMs, connections, sendLog });
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "bench/load-worker.ts"), spec], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.once("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!) as LoadResult) : reject(new Error(`load worker exited with ${code}`))));
  });
}

export async function benchChain(options: { durationMs?: number; connections?: number } = {}): Promise<ChainBenchResult> {
  const durationMs = options.durationMs ?? (Number(process.env.BENCH_SECONDS) || 10) * 1000;
  const connections = options.connections ?? (Number(process.env.BENCH_CONNECTIONS) || 32);
  ensureBuild();
  const dataDir = tempDataDir("bench-chain");
  const work = fs.mkdtempSync(path.join(dataDir, "sends-"));
  const own = await benchDatabase("chain");
  const recv = receiver();
  await new Promise<void>((r) => recv.server.listen(0, "127.0.0.1", r));
  const recvUrl = `http://127.0.0.1:${(recv.server.address() as AddressInfo).port}`;
  const port = await findFreePort();
  // A free port of its own for the demo receivers: PORT + 1 (their default) can be a port in use.
  const demoPort = await findFreePort();
  const env = childEnv({ FLOWPORT_DATA_DIR: dataDir, PORT: String(port), FLOWPORT_DEMO_PORT: String(demoPort), LOG_LEVEL: "error", ...(own ? { DATABASE_URL: own.url } : {}) });
  delete env.FLOWPORT_ROLE; // as `npm start`: web and worker as the launcher's default decides
  const app = spawnNode(["server/main.ts"], env);
  const children: { kill(signal: NodeJS.Signals): unknown }[] = [app.child];
  const killChildren = () => children.forEach((c) => c.kill("SIGKILL"));
  process.once("exit", killChildren);
  let sql: postgres.Sql | undefined;
  try {
    await waitUntil(
      () => {
        if (app.child.exitCode !== null) throw new Error(`the app exited (${app.child.exitCode}) before it was running`);
        return fs.existsSync(path.join(dataDir, "demo-credentials.json")) && app.output().includes("Flowport is running");
      },
      180_000,
      "the app",
    );
    const { apiKey } = JSON.parse(fs.readFileSync(path.join(dataDir, "demo-credentials.json"), "utf8")) as { apiKey: string };
    const dbUrl = own?.url ?? embeddedUrl(dataDir);
    const postmaster = own ? own.pid : postmasterPid(dataDir);
    sql = postgres(dbUrl, { max: 2, onnotice: () => undefined });
    const [published] = await sql<{ active: boolean }[]>`select active from flows where slug = 'vendor-to-payment-portal'`;
    if (!published?.active) throw new Error("vendor-to-payment-portal is not published and active after the first start");
    await setConnection(sql, { name: "payment-portal", baseUrl: recvUrl, credentialName: "payment-portal-key", allowPrivate: true });
    const [version] = await sql<{ v: string }[]>`select current_setting('server_version') as v`;
    const database = own?.label ?? `embedded PostgreSQL ${version!.v}`;
    const headers = { "content-type": "application/json", "x-api-key": apiKey };

    /** A load whose accepted calls should each reach the receiver: waits for them (cap 60 s) and measures. */
    const chained = async (url: string, prefix: string, ms: number, pid: number | undefined) => {
      const sendLog = path.join(work, `${prefix}.json`);
      const meter = cpuMeter({ app: pid, postmaster });
      const result = await load(url, headers, prefix, ms, connections, sendLog);
      const sends = JSON.parse(fs.readFileSync(sendLog, "utf8")) as Send[];
      const accepted = sends.filter(([, , s]) => s >= 200 && s < 300).map(([k]) => k);
      await waitUntil(() => accepted.every((k) => recv.arrivals.has(k)), DRAIN_CAP_MS, `${prefix} deliveries`).catch(() => undefined);
      const cpu = meter(result.requests);
      return { ...result, cpu, delivery: deliveryMetrics(sends, recv.arrivals, result.endedAt) };
    };

    const appUrl = `http://127.0.0.1:${port}/api/v1/integration/incoming/vendor-master`;
    await chained(appUrl, "WRM", 3_000, app.child.pid);
    const flowport = { ...(await chained(appUrl, "FLP", durationMs, app.child.pid)), duplicates: recv.duplicates() };

    // The baselines run on the same database while the app idles (as in the incoming scenario).
    const startBaseline = async (script: string, extra: string[]) => {
      const basePort = await findFreePort();
      const child = spawn(process.execPath, ["--import", "tsx", script, dbUrl, String(basePort), ...extra], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
      children.push(child);
      let ready = false;
      child.stdout.on("data", (d) => (ready ||= String(d).includes("ready")));
      await waitUntil(() => ready, 30_000, script);
      return { child, url: `http://127.0.0.1:${basePort}/` };
    };
    const naiveServer = await startBaseline("bench/incoming-baseline.ts", []);
    await load(naiveServer.url, headers, "WRB", 3_000, connections);
    const naiveMeter = cpuMeter({ app: naiveServer.child.pid, postmaster });
    const naiveLoad = await load(naiveServer.url, headers, "BSL", durationMs, connections);
    const naive = { ...naiveLoad, cpu: naiveMeter(naiveLoad.requests) };
    naiveServer.child.kill("SIGTERM");

    const chainServer = await startBaseline("bench/chain-baseline.ts", [`${recvUrl}/baseline`]);
    await chained(chainServer.url, "WRC", 3_000, chainServer.child.pid);
    const handChain = await chained(chainServer.url, "CHB", durationMs, chainServer.child.pid);
    chainServer.child.kill("SIGTERM");

    const processModel = /Flowport is running \(([^)]*?), ready in/.exec(app.output())?.[1];
    return { database, connections, durationMs, drainCapMs: DRAIN_CAP_MS, processModel, flowport, naive, handChain };
  } catch (error) {
    throw new Error(`${(error as Error).message}\napp output (tail): ${app.output().slice(-3000)}`, { cause: error });
  } finally {
    process.off("exit", killChildren);
    await sql?.end({ timeout: 2 });
    children.forEach((c) => c.kill("SIGTERM"));
    await app.exited;
    const pid = postmasterPid(dataDir);
    if (pid) process.kill(pid, "SIGQUIT");
    recv.server.close();
    recv.server.closeAllConnections();
    await own?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith("bench/chain.ts")) {
  exitOnInterrupt();
  console.log(JSON.stringify(await benchChain(), null, 2));
}
