/**
 * What every launcher process shares: one orderly shutdown per process (signals, a fatal error,
 * or the supervisor going away all end in the same steps), listening and closing an HTTP server,
 * the start-up banner, and how many processes `npm start` runs.
 */
import http from "node:http";
import os from "node:os";
import type { Env } from "../env";
import { logger } from "../log";

/** How long a shutdown may take before the process exits anyway. */
export const SHUTDOWN_LIMIT_MS = 25_000;

/** Signals closer together than this are one Ctrl-C delivered twice. */
const DUPLICATE_SIGNAL_MS = 1_000;

export type Shutdown = (reason: string, code?: number) => Promise<void>;

/**
 * Installs the signal and fatal-error handlers; `steps` runs once, on the first of them.
 * A second signal (a second or more after the first) exits at once.
 */
export function installShutdown(steps: () => Promise<void>): { shutdown: Shutdown; stopping: () => boolean } {
  const log = logger();
  let stopping = false;
  const shutdown: Shutdown = async (reason, code = 0) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, "shutting down");
    const force = setTimeout(() => {
      log.error(`shutdown took longer than ${SHUTDOWN_LIMIT_MS / 1000} s; exiting`);
      process.exit(code || 1);
    }, SHUTDOWN_LIMIT_MS);
    force.unref();
    try {
      await steps();
    } catch (error) {
      log.error({ err: error }, "error during shutdown");
      code ||= 1;
    }
    process.exit(code);
  };
  let firstSignalAt = 0;
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(sig, () => {
      // Ctrl-C under `npm start` arrives twice at once: from the terminal and forwarded by npm.
      // Only a second signal a person sends (a second later or more) cuts the drain short.
      if (stopping && firstSignalAt > 0 && Date.now() - firstSignalAt >= DUPLICATE_SIGNAL_MS) {
        log.warn(`second ${sig}: exiting now`);
        process.exit(1);
      }
      if (firstSignalAt === 0) firstSignalAt = Date.now();
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
  return { shutdown, stopping: () => stopping };
}

/** 2 when `npm start` should run web and worker as two processes under a supervisor, else 1. */
export function processCount(config: Pick<Env, "FLOWPORT_PROCESSES" | "FLOWPORT_ROLE" | "FLOWPORT_DEV" | "FLOWPORT_SUPERVISED">, cores = os.availableParallelism()): 1 | 2 {
  if (config.FLOWPORT_ROLE !== "all" || config.FLOWPORT_SUPERVISED) return 1;
  if (config.FLOWPORT_PROCESSES === "1") return 1;
  if (config.FLOWPORT_PROCESSES === "2") return 2;
  // auto: the development server reloads in one process; production uses the cores it has.
  return !config.FLOWPORT_DEV && cores >= 2 ? 2 : 1;
}

export function listen(server: http.Server, port: number, host: string) {
  return new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") reject(new Error(`Port ${port} is already in use: stop the other program or set PORT.`));
      else reject(error);
    });
    server.listen(port, host, () => resolve());
  });
}

export function closeServer(server: http.Server) {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 5_000).unref();
  });
}

export function printBanner(info: { what: string; url?: string; database: string; seconds: number; lines: string[] }) {
  const out = [
    "",
    `  Flowport is running (${info.what}, ready in ${info.seconds.toFixed(1)} s)`,
    info.url ? `  → ${info.url}` : undefined,
    `  database: ${info.database}`,
    ...info.lines.map((l) => `  ${l}`),
    "  Stop with Ctrl-C.",
    "",
  ].filter((l) => l !== undefined);
  process.stdout.write(`${out.join("\n")}\n`);
}
