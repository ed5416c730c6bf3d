/**
 * `npm start` on a machine with two or more cores (FLOWPORT_PROCESSES, lifecycle.ts): this process
 * boots the database once (embedded PostgreSQL, migrations, seeding), serves the demo receivers,
 * and runs the web server and the job worker as two child processes of its own (run-role.ts,
 * FLOWPORT_SUPERVISED=1). One command, one Ctrl-C, one log stream:
 * - the children share our stdout and stderr, so their pino lines reach it unchanged;
 * - they run in process groups of their own, so a terminal's Ctrl-C reaches us alone and we stop
 *   them in order: SIGTERM to both, wait until both have drained, then the embedded PostgreSQL;
 * - a child that exits while we are not stopping stops the whole app with exit code 1 (no
 *   half-alive app), and a child whose supervisor is gone stops itself (its IPC channel closes);
 * - /api/metrics in the web process gets the worker's metrics through us (metrics/cluster.ts).
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { boot } from "../boot";
import { ensureBuild } from "../build/ensure-build";
import type { Database } from "../db/client";
import { startDemoReceivers, type DemoReceivers } from "../demo/receivers";
import { childProcessEnv, type Env } from "../env";
import { logger } from "../log";
import { METRICS_REPLY, METRICS_REQUEST, type MetricsReply, type MetricsRequest } from "../metrics/cluster";
import { BUSY_MESSAGE, type BusyMessage } from "../outgoing/give-way";
import { demoCredentialLines } from "../seed/demo-client";
import { installShutdown, printBanner, SHUTDOWN_LIMIT_MS } from "./lifecycle";
import { READY_MESSAGE } from "./run-role";

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../main.ts");
type Role = "web" | "worker";

interface Child {
  role: Role;
  process: ChildProcess;
  ready: Promise<void>;
  exited: Promise<void>;
}

export async function runSupervisor(config: Env): Promise<void> {
  const log = logger();
  const started = performance.now();
  const children: Child[] = [];
  let database: Database | undefined;
  let receivers: DemoReceivers | undefined;

  const { shutdown, stopping } = installShutdown(async () => {
    // Both children drain at once (each stops its HTTP server or worker, then its pool).
    for (const child of children) signal(child, "SIGTERM");
    await Promise.all(children.map((child) => exitWithin(child, SHUTDOWN_LIMIT_MS - 5_000)));
    await receivers?.close();
    // Our pool ended after boot; this stops the embedded PostgreSQL (when we own it).
    await database?.embedded?.stop();
  });

  try {
    // The web process uses the build (npm run dev with FLOWPORT_PROCESSES=2: Next's dev server, no build).
    if (!config.FLOWPORT_DEV) ensureBuild();
    const booted = await boot({ role: "owner" });
    database = booted.database;
    // The children open pools of their own; the supervisor needs no connection after boot.
    await database.sql.end({ timeout: 5 });
    if (stopping()) return;
    receivers = await startDemoReceivers(config.demoPort);

    for (const role of ["web", "worker"] as const) {
      const child = forkRole(role);
      children.push(child);
      void child.exited.then(() => {
        if (!stopping()) void shutdown(`the ${role} process exited unexpectedly (${describeExit(child.process)})`, 1);
      });
    }
    relayMetrics(children);
    relayLiveCalls(children);
    await Promise.all(children.map((c) => c.ready));
    if (stopping()) return;

    printBanner({
      what: "web + worker, two processes",
      url: config.publicUrl,
      database: database.embedded ? `embedded PostgreSQL (data in ${config.dataDir})` : "DATABASE_URL",
      seconds: (performance.now() - started) / 1000,
      lines: [...booted.seed.banner, ...demoCredentialLines(config.publicUrl)],
    });
  } catch (error) {
    log.fatal({ err: error }, `Flowport could not start: ${(error as Error)?.message ?? String(error)}`);
    await shutdown("start-up failed", 1);
  }
}

function forkRole(role: Role): Child {
  const child = fork(MAIN, [], {
    env: childProcessEnv({ FLOWPORT_ROLE: role, FLOWPORT_SUPERVISED: "1" }),
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    // A process group of its own: a terminal's Ctrl-C reaches the supervisor, which stops it in order.
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.on("message", (message: { type?: string }) => {
      if (message?.type === READY_MESSAGE) resolve();
    });
    void exited.then(() => reject(new Error(`the ${role} process exited before it was ready (${describeExit(child)})`)));
  });
  ready.catch(() => undefined);
  return { role, process: child, ready, exited };
}

/** The web process asks for the worker's metrics; the worker's answer goes back to it. */
function relayMetrics(children: Child[]) {
  const web = children.find((c) => c.role === "web")!.process;
  const worker = children.find((c) => c.role === "worker")!.process;
  web.on("message", (message: Partial<MetricsRequest>) => {
    if (message?.type !== METRICS_REQUEST || typeof message.id !== "number") return;
    if (worker.connected) worker.send(message);
    else web.send({ type: METRICS_REPLY, id: message.id, metrics: [] } satisfies MetricsReply);
  });
  worker.on("message", (message: Partial<MetricsReply>) => {
    if (message?.type === METRICS_REPLY && web.connected) web.send(message);
  });
}

/** The web process's "busy with live calls" word goes to the worker (server/outgoing/give-way.ts). */
function relayLiveCalls(children: Child[]) {
  const web = children.find((c) => c.role === "web")!.process;
  const worker = children.find((c) => c.role === "worker")!.process;
  web.on("message", (message: Partial<BusyMessage>) => {
    if (message?.type === BUSY_MESSAGE && worker.connected) worker.send(message);
  });
}

function signal(child: Child, sig: NodeJS.Signals) {
  if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill(sig);
}

async function exitWithin(child: Child, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), ms)));
  if ((await Promise.race([child.exited, late])) === "late") {
    logger().error(`the ${child.role} process did not stop within ${ms / 1000} s; killing it`);
    signal(child, "SIGKILL");
    await child.exited;
  }
  clearTimeout(timer);
}

function describeExit(child: ChildProcess) {
  return child.signalCode ? `signal ${child.signalCode}` : `exit code ${child.exitCode}`;
}
