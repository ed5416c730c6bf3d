/**
 * Outgoing scenario (issue 5): 10,000 invoice approvals delivered by the
 * published invoice-to-accounting flow to a local receiver, through the real
 * worker process (FLOWPORT_ROLE=worker): deliveries per second and
 * event-to-delivery latency (approval commit → request at the receiver). Beside
 * it, the baseline: graphile-worker with a task that only POSTs, same machine,
 * same run. Traffic stays on 127.0.0.1.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import postgres from "postgres";
import { startEmbeddedPostgres } from "../server/db/embedded-postgres";
import { migrateDatabase } from "../server/db/migrate";
import { setConnection } from "../server/outgoing/connections";
import { setCredential } from "../server/outgoing/credentials";
import { transitionRecord } from "../server/records/store";
import { seedOnFirstRun } from "../server/seed";
import { childEnv, tempDataDir, waitUntil } from "../server/testing/processes";
import { exitOnInterrupt } from "./interrupt";

export interface OutgoingBenchResult {
  approvals: number;
  flowport: { deliveredPerSec: number; p50Ms: number; p99Ms: number; delivered: number; seconds: number };
  baseline: { deliveredPerSec: number; delivered: number; seconds: number };
}

const ROOT = path.resolve(import.meta.dirname, "..");

function receiver() {
  const seen = new Map<string, number>();
  let total = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      total++;
      try {
        const key = (JSON.parse(body) as { invoiceNumber?: string; n?: number }).invoiceNumber;
        if (key && !seen.has(key)) seen.set(key, performance.now());
      } catch {
        // counted anyway
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: "received", referenceId: `REF-${total}` }));
    });
  });
  return { server, seen, count: () => total };
}

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0) * 10) / 10;
};

export async function benchOutgoing(options: { approvals?: number; timeoutMs?: number } = {}): Promise<OutgoingBenchResult> {
  const approvals = options.approvals ?? 10_000;
  const dataDir = tempDataDir("bench-out");
  process.env.FLOWPORT_DATA_DIR = dataDir; // the demo seeders write into the data dir
  const pg = await startEmbeddedPostgres({ dataDir, role: "owner" });
  const sql = postgres(pg.url, { max: 16, onnotice: () => undefined });
  const recv = receiver();
  await new Promise<void>((r) => recv.server.listen(0, "127.0.0.1", r));
  const recvUrl = `http://127.0.0.1:${(recv.server.address() as AddressInfo).port}`;
  const children: ChildProcess[] = [];
  const killChildren = () => children.forEach((c) => c.kill("SIGKILL"));
  process.once("exit", killChildren);
  try {
    await migrateDatabase(pg.url);
    // Every seeder now (as the worker's boot would), then point the connection at our receiver.
    await seedOnFirstRun({ url: pg.url, sql, close: async () => undefined });
    await setCredential(sql, { name: "accounting-api-token", type: "bearer", secret: "bench-token-0123456789" });
    await setConnection(sql, { name: "accounting-system", baseUrl: recvUrl, credentialName: "accounting-api-token", allowPrivate: true });
    // Only the flow under test listens: the other example outgoing flows stay unpublished noise-free.
    await sql`update flows set active = false where direction = 'outgoing' and slug <> 'invoice-to-accounting'`;
    await sql`
      insert into records (entity, record_id, status, data)
      select 'Invoice', 'BENCH-' || g, 'draft', jsonb_build_object('Invoice_No', 'INV/B/' || g, 'Invoice_Date', '2025-12-12',
             'Total_Amount', 1000 + g, 'Client_Name', 'ABC Infrastructure', 'Project_Code', 'PRJ-102', 'GST_No', '27ABCDE1234F1Z5')
      from generate_series(1, ${approvals}) g`;

    const worker = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
      cwd: ROOT,
      env: childEnv({ DATABASE_URL: pg.url, FLOWPORT_ROLE: "worker", FLOWPORT_DATA_DIR: dataDir, LOG_LEVEL: "error" }),
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(worker);
    let workerOut = "";
    worker.stdout!.on("data", (d) => (workerOut += d));
    await waitUntil(() => workerOut.includes("Flowport is running"), 60_000, "the worker");

    // Approve every invoice (8 at a time), remembering when each approval committed.
    const approvedAt = new Map<string, number>();
    const started = performance.now();
    let next = 1;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next <= approvals) {
          const n = next++;
          await sql.begin((tx) => transitionRecord(tx, "Invoice", `BENCH-${n}`, "approved"));
          approvedAt.set(`INV/B/${n}`, performance.now());
        }
      }),
    );
    await waitUntil(() => recv.seen.size >= approvals, options.timeoutMs ?? 600_000, "every delivery").catch(async (error) => {
      const states = await sql`select status, last_error, count(*)::int as n from deliveries group by 1, 2`;
      throw new Error(`${(error as Error).message}; received ${recv.seen.size}; deliveries: ${JSON.stringify(states)}; worker: ${workerOut.slice(-2000)}`);
    });
    const seconds = (performance.now() - started) / 1000;
    const latencies = [...recv.seen].map(([k, t]) => t - (approvedAt.get(k) ?? t));
    worker.kill("SIGTERM");

    // Baseline: the same number of jobs through graphile-worker with a POST-only task.
    const base = spawn(process.execPath, ["--import", "tsx", "bench/outgoing-baseline-worker.ts", pg.url, `${recvUrl}/baseline`], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(base);
    let baseOut = "";
    base.stdout!.on("data", (d) => (baseOut += d));
    await waitUntil(() => baseOut.includes("ready"), 60_000, "the baseline worker");
    const before = recv.count();
    const baseStarted = performance.now();
    await sql`
      select graphile_worker.add_jobs(array_agg(row('baseline-post', json_build_object('n', g), null, null, null, null, null, null)::graphile_worker.job_spec))
      from generate_series(1, ${approvals}) g`;
    await waitUntil(() => recv.count() - before >= approvals, 600_000, "the baseline deliveries");
    const baseSeconds = (performance.now() - baseStarted) / 1000;

    return {
      approvals,
      flowport: { deliveredPerSec: Math.round(approvals / seconds), p50Ms: pct(latencies, 0.5), p99Ms: pct(latencies, 0.99), delivered: recv.seen.size, seconds: Math.round(seconds * 10) / 10 },
      baseline: { deliveredPerSec: Math.round(approvals / baseSeconds), delivered: recv.count() - before, seconds: Math.round(baseSeconds * 10) / 10 },
    };
  } finally {
    process.off("exit", killChildren);
    killChildren();
    recv.server.close();
    await sql.end({ timeout: 2 });
    await pg.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith("bench/outgoing.ts")) {
  exitOnInterrupt();
  console.log(JSON.stringify(await benchOutgoing({ approvals: Number(process.argv[2] ?? 10_000), timeoutMs: Number(process.argv[3] ?? 600_000) }), null, 2));
}
