/**
 * Shared tools of the fault-injection suite: Flowport's real launcher as child processes on a
 * test database, a load generator that remembers every answer, and vendor payloads with unique
 * GSTINs. Test-only.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import type { Sql } from "postgres";
import { afterAll, beforeAll, vi } from "vitest";
import { findFreePort } from "@/server/db/embedded-postgres";
import { resetEnvForTests } from "@/server/env";
import { setConnection, type SetConnectionInput } from "@/server/outgoing/connections";
import { setCredential } from "@/server/outgoing/credentials";
import { createTestDatabase } from "@/server/testing/database";
import { childEnv, spawnNode, tempDataDir, waitUntil, type Spawned } from "@/server/testing/processes";

export interface App extends Spawned {
  port: number;
  url: string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * What every multi-process fault test starts from: a fresh test database, a data dir and a secret
 * key shared by the test and the processes it launches (so both read the same encrypted
 * credentials), and, after the test, kill -9 of every process and the end of every receiver it
 * started (nothing of a fault test deserves a clean stop), the database dropped, the dir removed.
 */
export function useFaultFixture(name: string) {
  const secretKey = randomBytes(32).toString("base64");
  vi.stubEnv("FLOWPORT_SECRET_KEY", secretKey);
  resetEnvForTests();
  const dataDir = tempDataDir(`faults-${name}`);
  const env = { FLOWPORT_DATA_DIR: dataDir, FLOWPORT_SECRET_KEY: secretKey };
  const apps: App[] = [];
  const receivers: KeyedReceiver[] = [];
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    for (const app of apps) await app.kill9();
    for (const receiver of receivers) await receiver.close().catch(() => undefined);
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  return {
    env,
    database: () => database!,
    /** Launches Flowport as `role` on the test database (port: reuse a dead process's port). */
    async launch(role: "web" | "worker" | "all", options: { port?: number; env?: Record<string, string> } = {}) {
      const app = await launchApp({ databaseUrl: database!.url, role, port: options.port, env: { ...env, ...options.env } });
      apps.push(app);
      return app;
    },
    async receiver(options: Parameters<typeof startKeyedReceiver>[0] = {}) {
      const receiver = await startKeyedReceiver(options);
      receivers.push(receiver);
      return receiver;
    },
  };
}

/** `node --import tsx server/main.ts` on DATABASE_URL, as `role` (web, worker or all). */
export async function launchApp(options: { databaseUrl: string; role: "web" | "worker" | "all"; port?: number; env?: Record<string, string> }): Promise<App> {
  const port = options.port ?? (await findFreePort());
  const spawned = spawnNode(
    ["server/main.ts"],
    // One process per launch: each test lays out (and kills) its own processes; `all` is web + worker in one.
    childEnv({ DATABASE_URL: options.databaseUrl, PORT: String(port), HOST: "127.0.0.1", FLOWPORT_ROLE: options.role, FLOWPORT_PROCESSES: "1", ...options.env }),
  );
  const alive = () => spawned.child.exitCode === null && spawned.child.signalCode === null;
  return {
    ...spawned,
    port,
    url: `http://127.0.0.1:${port}`,
    async kill9() {
      if (alive()) spawned.child.kill("SIGKILL");
      await spawned.exited;
    },
    async stop() {
      if (alive()) spawned.child.kill("SIGTERM");
      const timer = setTimeout(() => alive() && spawned.child.kill("SIGKILL"), 15_000);
      await spawned.exited;
      clearTimeout(timer);
    },
  };
}

/** Waits until the launcher printed its banner (web: listening; worker: taking jobs). */
export async function waitReady(app: App, timeoutMs = 180_000): Promise<void> {
  await waitUntil(
    () => {
      if (app.child.exitCode !== null) throw new Error(`Flowport exited (${app.child.exitCode}):\n${app.output()}`);
      return app.output().includes("Flowport is running");
    },
    timeoutMs,
    `Flowport to start:\n${app.output()}`,
  );
}

let gstSeq = 0;
const runTag = randomBytes(2).toString("hex");
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** A GSTIN-format number unique in this run: five letters from a counter, four random digits. */
export function uniqueGstin(): string {
  let n = gstSeq++ * 7919 + parseInt(runTag, 16);
  let letters = "";
  for (let i = 0; i < 5; i++) {
    letters += LETTERS[n % 26];
    n = Math.floor(n / 26);
  }
  return `27${letters}${String(Math.floor(Math.random() * 10_000)).padStart(4, "0")}F1Z5`;
}

export const vendor = (gstNumber = uniqueGstin()) => ({
  vendorName: "Fault Test Supplies",
  gstNumber,
  contactPerson: "Ramesh Sharma",
  mobile: "9876543210",
  email: "faults@example.com",
  city: "Mumbai",
});

export interface Answer {
  /** HTTP status, or 0 when the request got no answer (connection refused or reset). */
  status: number;
  body?: Record<string, unknown>;
  error?: string;
  ms: number;
  startedAt: number;
  target: string;
  gstNumber: string;
}

/**
 * `connections` concurrent callers posting fresh vendors to the targets (round robin) until
 * stop() or `durationMs`; every request's outcome is kept. A request gets `timeoutMs` to answer.
 */
export function startLoad(options: { targets: string[]; apiKey: string; connections: number; durationMs: number; timeoutMs?: number; pauseOnErrorMs?: number }) {
  const answers: Answer[] = [];
  const until = Date.now() + options.durationMs;
  let stopped = false;
  let turn = 0;
  const caller = async () => {
    while (!stopped && Date.now() < until) {
      const target = options.targets[turn++ % options.targets.length]!;
      const body = vendor();
      const startedAt = Date.now();
      try {
        const res = await fetch(`${target}/api/v1/integration/incoming/vendor-master`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-key": options.apiKey },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        });
        const text = await res.text();
        let json: Record<string, unknown> | undefined;
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          json = { raw: text };
        }
        answers.push({ status: res.status, body: json, ms: Date.now() - startedAt, startedAt, target, gstNumber: body.gstNumber });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        answers.push({ status: 0, error: cause ?? (error as Error).name, ms: Date.now() - startedAt, startedAt, target, gstNumber: body.gstNumber });
        // A dead server refuses at once: don't spin.
        await new Promise((r) => setTimeout(r, options.pauseOnErrorMs ?? 20));
      }
    }
  };
  const done = Promise.all(Array.from({ length: options.connections }, caller)).then(() => answers);
  return {
    answers,
    done,
    stop() {
      stopped = true;
      return done;
    },
  };
}

export function countBy<T>(items: T[], key: (item: T) => string | number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

/** The invariant of issue 8: an acknowledged request has its record and its log row; no record lacks its log. */
export async function checkRecordsAndLogs(sql: Sql, answers: Answer[], since: Date) {
  const acknowledged = answers.filter((a) => a.status >= 200 && a.status < 300);
  const recordIds = acknowledged.map((a) => String(a.body?.recordId));
  const requestIds = acknowledged.map((a) => String(a.body?.requestId));
  const found = await sql<{ record_id: string; logged: boolean }[]>`
    select r.record_id,
      exists (select 1 from executions e where e.record_id = r.record_id and e.request_id = any(${requestIds}) and e.status = 'SUCCESS') as logged
    from records r where r.entity = 'Vendor' and r.record_id = any(${recordIds})`;
  // Only records stored by a flow: the demo data seeded at first start (origin seed) has no log row,
  // and its creation time (each insert's own) can fall inside the window.
  const unlogged = await sql<{ record_id: string }[]>`
    select r.record_id from records r
    where r.entity = 'Vendor' and r.created_at >= ${since} and r.origin->>'kind' = 'flow'
      and not exists (select 1 from executions e where e.direction = 'incoming' and e.record_id = r.record_id)`;
  const [{ count: created } = { count: 0 }] = await sql<{ count: number }[]>`
    select count(*)::int as count from records where entity = 'Vendor' and created_at >= ${since} and origin->>'kind' = 'flow'`;
  return {
    acknowledged: acknowledged.length,
    missingRecords: recordIds.filter((id) => !found.some((f) => f.record_id === id)),
    missingLogs: found.filter((f) => !f.logged).map((f) => f.record_id),
    recordsWithoutLog: unlogged.map((u) => u.record_id),
    created,
  };
}

export type ReceiverMode = "ok" | "hang" | "slow" | "unavailable";

export interface KeyedReceiver {
  url: string;
  port: number;
  /** Every request received: its Idempotency-Key, body and when. */
  received: { key: string; body: Record<string, unknown>; at: number; status?: number }[];
  /** ok: 200 at once; hang: never answer; slow: answer 200 after `slowMs` (past the sender's timeout); unavailable: 503 at once. */
  mode: ReceiverMode;
  slowMs: number;
  close(): Promise<void>;
}

/** A receiver of outgoing deliveries that remembers each request's Idempotency-Key. */
export async function startKeyedReceiver(options: { port?: number; mode?: ReceiverMode; slowMs?: number } = {}): Promise<KeyedReceiver> {
  const http = await import("node:http");
  const receiver: KeyedReceiver = { url: "", port: 0, received: [], mode: options.mode ?? "ok", slowMs: options.slowMs ?? 1_500, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      const entry: KeyedReceiver["received"][number] = { key: String(req.headers["idempotency-key"] ?? ""), body, at: Date.now() };
      receiver.received.push(entry);
      if (receiver.mode === "hang") return;
      if (receiver.mode === "unavailable") {
        entry.status = 503;
        res.writeHead(503, { "content-type": "application/json" }).end(JSON.stringify({ status: "error", message: "down for maintenance" }));
        return;
      }
      entry.status = 200;
      const reply = () => {
        if (res.destroyed) return;
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok", referenceId: `REF-${receiver.received.length}` }));
      };
      if (receiver.mode === "slow") setTimeout(reply, receiver.slowMs).unref();
      else reply();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  receiver.port = (server.address() as { port: number }).port;
  receiver.url = `http://127.0.0.1:${receiver.port}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return receiver;
}

/** The receiver-outage tests' circuit: opens after 5 retryable failures in a row, probes every 3 s. */
export const OUTAGE_CIRCUIT = { failures: 5, probeMs: 3_000 } as const;

/**
 * What the receiver-outage tests start from: a worker whose connection circuit is OUTAGE_CIRCUIT's
 * (releasing 50 held deliveries a second),
 * and `accounting-system` pointed at a keyed receiver of the test's own, with a bearer token.
 */
export async function startOutageWorker(
  fixture: ReturnType<typeof useFaultFixture>,
  options: { connection?: Partial<SetConnectionInput> } = {},
): Promise<{ worker: App; receiver: KeyedReceiver }> {
  const { sql } = fixture.database();
  const worker = await fixture.launch("worker", {
    env: {
      FLOWPORT_CIRCUIT_FAILURES: String(OUTAGE_CIRCUIT.failures),
      FLOWPORT_CIRCUIT_PROBE_MS: String(OUTAGE_CIRCUIT.probeMs),
      FLOWPORT_CIRCUIT_RELEASE_PER_SECOND: "50",
    },
  });
  await waitReady(worker);
  const receiver = await fixture.receiver();
  await setCredential(sql, { name: "accounting-api-token", type: "bearer", secret: `tok_${randomBytes(16).toString("hex")}` });
  await setConnection(sql, { name: "accounting-system", baseUrl: receiver.url, allowPrivate: true, credentialName: "accounting-api-token", ...options.connection });
  return { worker, receiver };
}
