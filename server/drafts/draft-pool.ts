/**
 * Drafts never run on the thread that answers API calls. A dry run evaluates expressions nobody
 * has published, and one long JSONata or regex step runs to its end whatever the 250 ms time box
 * says (it is checked between steps): on the main thread that froze every endpoint, health check
 * included. Here each draft task — a designer dry run, a dry replay on the draft, a `flows test`
 * sample — runs in a piscina worker thread with its own database client; a task that overruns
 * FLOWPORT_DRAFT_TIMEOUT_MS is aborted, which makes piscina terminate its thread (its connection
 * drops, PostgreSQL rolls its transaction back) and start a fresh one for the next task. The pool
 * refuses new tasks once FLOWPORT_DRAFT_QUEUE wait, instead of queueing without end.
 *
 * No heap limit per thread (Worker resourceLimits): a thread that reaches it with one large
 * allocation (`$pad('', 100000000)` at 256 MB) is a fatal V8 OOM of the whole process, not a
 * terminated thread — seen in faults/hostile-drafts.test.ts. The time limit bounds growth instead.
 *
 * The pool lives on globalThis: the tsx-run launcher and Next's bundled route handlers each load
 * their own copy of this module, and must share one pool per process.
 */
import path from "node:path";
import { Piscina } from "piscina";
import type { Sql } from "postgres";
import type { FlowFile, FlowSample } from "@/flows/format";
import type { ExecutionResult } from "@/server/engine/execute";
import { env } from "@/server/env";
import { logger } from "@/server/log";
import { threadEntryFile } from "@/server/threads/entry-file";
import { draftPoolBusy, draftTimedOut } from "./errors";
import { isDraftStartedMessage, type DraftConnection, type DraftEnvelope, type DraftTask, type DraftTaskResult } from "./protocol";

interface DraftPool {
  piscina: Piscina;
  threads: number;
  timeoutMs: number;
  queue: number;
  /** Tasks sent and not yet settled. */
  inFlight: number;
  nextId: number;
  /** Starts a task's clock, by task id, when its thread says it began. */
  started: Map<number, () => void>;
}

const KEY = Symbol.for("flowport.draftPool");
type Holder = typeof globalThis & { [KEY]?: DraftPool };

/** Threads above the first that idle this long end (and their connections with them). */
const IDLE_THREAD_MS = 60_000;
const WORKER_FILE = path.join("server", "drafts", "draft-worker.mjs");

function createPool(): DraftPool {
  const config = env();
  const pool: DraftPool = {
    piscina: new Piscina({
      filename: threadEntryFile(WORKER_FILE, import.meta.url),
      // At least one: piscina replaces a terminated thread only up to minThreads, and with none
      // left, drafts queued behind an overrun one would wait forever (draft-pool.test.ts).
      minThreads: 1,
      maxThreads: config.FLOWPORT_DRAFT_THREADS,
      idleTimeout: IDLE_THREAD_MS,
      // Bounded below, by inFlight: piscina's own limit would refuse with an untyped error.
      maxQueue: Infinity,
      // The launcher's `--import tsx` is not inherited: the entry registers tsx itself.
      execArgv: [],
    }),
    threads: config.FLOWPORT_DRAFT_THREADS,
    timeoutMs: config.FLOWPORT_DRAFT_TIMEOUT_MS,
    queue: config.FLOWPORT_DRAFT_QUEUE,
    inFlight: 0,
    nextId: 1,
    started: new Map(),
  };
  pool.piscina.on("message", (message: unknown) => {
    if (isDraftStartedMessage(message)) pool.started.get(message.draftTaskStarted)?.();
  });
  // A thread that fails with no task of ours running (e.g. while idle) must not crash the process.
  pool.piscina.on("error", (error: unknown) => logger().warn({ err: error }, "draft runner thread failed"));
  return pool;
}

function draftPool(): DraftPool {
  const holder = globalThis as Holder;
  holder[KEY] ??= createPool();
  return holder[KEY];
}

/** The pool's connection options for the database `sql` talks to, without its functions. */
export function draftConnectionOf(sql: Sql): DraftConnection {
  const o = sql.options as unknown as Record<string, unknown>;
  const hosts = o.host as string[];
  const ports = o.port as number[];
  return {
    ...(hosts.length === 1 ? { host: hosts[0]!, port: ports[0] } : { host: hosts.map((h, i) => `${h}:${ports[i]}`).join(",") }),
    ...(typeof o.path === "string" ? { path: o.path } : {}),
    database: o.database as string,
    user: o.user as string,
    ...(typeof o.pass === "string" && o.pass !== "" ? { pass: o.pass } : {}),
    ...(typeof o.ssl === "boolean" || typeof o.ssl === "string" ? { ssl: o.ssl as DraftConnection["ssl"] } : {}),
    ...(o.connection && typeof o.connection === "object" ? { connection: o.connection as Record<string, string> } : {}),
    ...(typeof o.target_session_attrs === "string" ? { target_session_attrs: o.target_session_attrs as DraftConnection["target_session_attrs"] } : {}),
  };
}

/**
 * Runs `task` in a draft-runner thread against the database of `sql`. Rejects with DraftRunError
 * when the task overran its time (its thread is terminated) or the pool has FLOWPORT_DRAFT_QUEUE
 * tasks waiting already.
 */
export async function runDraft(sql: Sql, task: DraftTask): Promise<DraftTaskResult> {
  const pool = draftPool();
  if (pool.inFlight >= pool.threads + pool.queue) throw draftPoolBusy(pool.inFlight - pool.threads);
  const id = pool.nextId++;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  pool.started.set(id, () => {
    timer = setTimeout(() => abort.abort(), pool.timeoutMs);
  });
  pool.inFlight++;
  const began = performance.now();
  try {
    const envelope: DraftEnvelope = { ...task, id, connection: draftConnectionOf(sql) };
    const done = (await pool.piscina.run(envelope, { signal: abort.signal })) as DraftTaskResult;
    logger().debug({ kind: task.kind, threadId: done.threadId, ms: Math.round(performance.now() - began) }, "draft ran in a worker thread");
    return done;
  } catch (error) {
    if (abort.signal.aborted) {
      logger().warn({ kind: task.kind, timeoutMs: pool.timeoutMs }, "draft overran its time; its thread was terminated");
      throw draftTimedOut(pool.timeoutMs);
    }
    throw error;
  } finally {
    clearTimeout(timer);
    pool.started.delete(id);
    pool.inFlight--;
  }
}

/** A dry run of `flow` on `sample` (server/flows/dry-run.ts) in a draft-runner thread. */
export async function dryRunInThread(sql: Sql, flow: FlowFile, sample: Pick<FlowSample, "payload" | "headers">): Promise<ExecutionResult> {
  const { result } = await runDraft(sql, { kind: "dry-run", flow, sample: { payload: sample.payload, ...(sample.headers ? { headers: sample.headers } : {}) } });
  return result;
}

/** Ends the pool's threads (tests that change its configuration, and shutdown). */
export async function closeDraftPool(): Promise<void> {
  const holder = globalThis as Holder;
  const pool = holder[KEY];
  holder[KEY] = undefined;
  await pool?.piscina.destroy();
}
