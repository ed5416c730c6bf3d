/**
 * The launcher behind `npm start`, `npm run dev`, `start:web` and `start:worker`.
 * One process boots the database, migrates and seeds, then runs the Next.js server
 * and/or the job worker (FLOWPORT_ROLE), and owns an orderly shutdown:
 * HTTP server → worker → pool → embedded PostgreSQL. We run Next as a custom
 * server because `next start` exits on SIGTERM before anything can drain.
 */
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { boot } from "./boot";
import { demoCredentialLines } from "./seed/demo-client";
import { closeAuth } from "./auth/process-auth";
import { closeDraftPool } from "./drafts/draft-pool";
import { closeExpressionThreads, warmExpressionThreads } from "./engine/expression-threads";
import { ensureBuild } from "./build/ensure-build";
import { ConfigError, env } from "./env";
import { startWorker, type WorkerHandle } from "./jobs/runner";
import { logger } from "./log";
import { handleIncoming, isIncomingPath } from "./incoming/handle-incoming";
import { clientAddressOf } from "./http/client-address";
import type { Database } from "./db/client";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function main() {
  let config;
  try {
    config = env();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  const log = logger();
  const role = config.FLOWPORT_ROLE;
  const started = performance.now();

  let database: Database | undefined;
  let worker: WorkerHandle | undefined;
  let server: http.Server | undefined;
  let stopping = false;

  const shutdown = async (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, "shutting down");
    const force = setTimeout(() => {
      log.error("shutdown took longer than 25 s; exiting");
      process.exit(code || 1);
    }, 25_000);
    force.unref();
    try {
      if (server) await closeServer(server);
      await worker?.stop();
      await closeAuth();
      // Draft threads hold their own database connections: end them before the pool closes.
      await closeDraftPool();
      await closeExpressionThreads();
      await database?.close();
    } catch (error) {
      log.error({ err: error }, "error during shutdown");
      code ||= 1;
    }
    process.exit(code);
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(sig, () => {
      if (stopping) {
        log.warn(`second ${sig}: exiting now`);
        process.exit(1);
      }
      void shutdown(sig);
    });
  }
  process.on("uncaughtException", (error) => {
    log.fatal({ err: error }, "uncaught exception");
    void shutdown("uncaughtException", 1);
  });
  process.on("unhandledRejection", (error) => {
    log.error({ err: error }, "unhandled promise rejection");
  });

  try {
    // Before the database and worker start: a first build takes about a minute.
    if (role !== "worker" && !config.FLOWPORT_DEV) ensureBuild();
    // Long JSONata evaluations move to a thread: have it loaded before the first call.
    const warming = warmExpressionThreads();
    warming.catch(() => undefined); // awaited below
    const booted = await boot({ role: "owner" });
    database = booted.database;
    if (stopping) return;

    await warming;
    if (role !== "web") worker = await startWorker({ url: database.url, sql: database.sql });

    if (role !== "worker") {
      const app = next({ dev: config.FLOWPORT_DEV, dir: ROOT, hostname: config.HOST, port: config.PORT });
      await app.prepare();
      const handle = app.getRequestHandler();
      const sql = database.sql;
      // The integration endpoints are the hot path: served on plain node:http, ahead of Next's router.
      server = http.createServer((req, res) => {
        if (isIncomingPath(req.url)) return void handleIncoming(sql, req, res);
        // One address for Next and better-auth: the peer, or the client a trusted proxy names
        // (FLOWPORT_TRUSTED_PROXIES); anything else a caller wrote there is dropped.
        req.headers["x-forwarded-for"] = clientAddressOf(req.socket.remoteAddress, req.headers["x-forwarded-for"]);
        void handle(req, res);
      });
      if (config.FLOWPORT_DEV) server.on("upgrade", app.getUpgradeHandler());
      await listen(server, config.PORT, config.HOST);
    }

    printBanner({
      role,
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

function listen(server: http.Server, port: number, host: string) {
  return new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") reject(new Error(`Port ${port} is already in use: stop the other program or set PORT.`));
      else reject(error);
    });
    server.listen(port, host, () => resolve());
  });
}

function closeServer(server: http.Server) {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 5_000).unref();
  });
}

function printBanner(info: { role: string; url?: string; database: string; seconds: number; lines: string[] }) {
  const out = [
    "",
    `  Flowport is running (${info.role === "all" ? "web + worker" : info.role}, ready in ${info.seconds.toFixed(1)} s)`,
    info.url ? `  → ${info.url}` : undefined,
    `  database: ${info.database}`,
    ...info.lines.map((l) => `  ${l}`),
    "  Stop with Ctrl-C.",
    "",
  ].filter((l) => l !== undefined);
  process.stdout.write(`${out.join("\n")}\n`);
}

void main();
