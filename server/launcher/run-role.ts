/**
 * One process running FLOWPORT_ROLE: the web server (Next behind our own node:http, the
 * integration endpoints ahead of Next's router), the job worker, or both. Alone, it boots the
 * database itself (embedded PostgreSQL, migrations, seeding) and prints the banner; forked by the
 * supervisor (FLOWPORT_SUPERVISED), it attaches to the database the supervisor booted, tells the
 * supervisor when it is ready, and stops when the supervisor asks or goes away.
 * Shutdown order: HTTP server → worker → pool → embedded PostgreSQL (when this process owns it).
 * We run Next as a custom server because `next start` exits on SIGTERM before anything can drain.
 */
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { boot } from "../boot";
import { closeAuth } from "../auth/process-auth";
import { ensureBuild } from "../build/ensure-build";
import type { Database } from "../db/client";
import { startDemoReceivers, type DemoReceivers } from "../demo/receivers";
import { closeDraftPool } from "../drafts/draft-pool";
import { closeExpressionThreads, warmExpressionThreads } from "../engine/expression-threads";
import type { Env } from "../env";
import { clientAddressOf } from "../http/client-address";
import { handleIncoming, isIncomingPath } from "../incoming/handle-incoming";
import { startWorker, type WorkerHandle } from "../jobs/runner";
import { listenForLiveCalls, liveCallStarted } from "../outgoing/give-way";
import { logger } from "../log";
import { answerMetricsRequests } from "../metrics/cluster";
import { metricsJson } from "../metrics/registry";
import { demoCredentialLines } from "../seed/demo-client";
import { closeServer, installShutdown, listen, printBanner } from "./lifecycle";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** What a supervised process sends its supervisor once it serves or works. */
export const READY_MESSAGE = "flowport:ready";

export async function runRole(config: Env): Promise<void> {
  const log = logger();
  const role = config.FLOWPORT_ROLE;
  const supervised = config.FLOWPORT_SUPERVISED;
  const started = performance.now();

  let database: Database | undefined;
  let worker: WorkerHandle | undefined;
  let server: http.Server | undefined;
  let receivers: DemoReceivers | undefined;

  const { shutdown, stopping } = installShutdown(async () => {
    if (server) await closeServer(server);
    await worker?.stop();
    await receivers?.close();
    await closeAuth();
    // Draft threads hold their own database connections: end them before the pool closes.
    await closeDraftPool();
    await closeExpressionThreads();
    await database?.close();
  });
  // A supervised process never outlives its supervisor (even one killed with kill -9).
  if (supervised) process.on("disconnect", () => void shutdown("the supervisor is gone", 1));

  try {
    // Before the database and worker start: a first build takes about a minute (the supervisor builds for its children).
    if (role !== "worker" && !config.FLOWPORT_DEV && !supervised) ensureBuild();
    // Long JSONata evaluations move to a thread: have it loaded before the first call.
    const warming = warmExpressionThreads();
    warming.catch(() => undefined); // awaited below
    const booted = supervised ? await boot({ role: "guest", migrate: false, seed: false }) : await boot({ role: "owner" });
    database = booted.database;
    if (stopping()) return;

    await warming;
    if (role !== "web") worker = await startWorker({ url: database.url, sql: database.sql });
    if (supervised && role === "worker") {
      answerMetricsRequests(metricsJson);
      listenForLiveCalls();
    }

    // The demo receivers run beside the app when nothing supervises it (the supervisor runs them itself).
    if (!supervised && role !== "worker") receivers = await startReceivers(config.demoPort, role === "all");

    if (role !== "worker") server = await serveWeb(config, database);

    if (supervised) {
      process.send?.({ type: READY_MESSAGE });
      return;
    }
    printBanner({
      what: role === "all" ? "web + worker, one process" : role,
      url: role === "worker" ? undefined : config.publicUrl,
      database: database.embedded ? `embedded PostgreSQL (data in ${config.dataDir})` : "DATABASE_URL",
      seconds: (performance.now() - started) / 1000,
      lines: [...booted.seed.banner, ...(role === "worker" ? [] : demoCredentialLines(config.publicUrl))],
    });
  } catch (error) {
    log.fatal({ err: error }, `Flowport could not start: ${(error as Error)?.message ?? String(error)}`);
    await shutdown("start-up failed", 1);
  }
}

async function serveWeb(config: Env, database: Database): Promise<http.Server> {
  const app = next({ dev: config.FLOWPORT_DEV, dir: ROOT, hostname: config.HOST, port: config.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const sql = database.sql;
  // The integration endpoints are the hot path: served on plain node:http, ahead of Next's router.
  const server = http.createServer((req, res) => {
    if (isIncomingPath(req.url)) {
      // Counted while it is answered: deliveries give way while many are (server/outgoing/give-way.ts).
      res.once("close", liveCallStarted());
      return void handleIncoming(sql, req, res);
    }
    // One address for Next and better-auth: the peer, or the client a trusted proxy names
    // (FLOWPORT_TRUSTED_PROXIES); anything else a caller wrote there is dropped.
    req.headers["x-forwarded-for"] = clientAddressOf(req.socket.remoteAddress, req.headers["x-forwarded-for"]);
    void handle(req, res);
  });
  if (config.FLOWPORT_DEV) server.on("upgrade", app.getUpgradeHandler());
  await listen(server, config.PORT, config.HOST);
  return server;
}

/**
 * `npm start` in one process must serve them (its seeded connections call them); a web process
 * started on its own beside others (`start:web`) serves them when their port is free.
 */
async function startReceivers(port: number, required: boolean): Promise<DemoReceivers | undefined> {
  try {
    return await startDemoReceivers(port);
  } catch (error) {
    if (required) throw error;
    logger().warn({ err: error }, "demo receivers not started here");
    return undefined;
  }
}
