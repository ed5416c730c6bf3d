/**
 * The job worker: graphile-worker's runner with our task list, plus a heartbeat
 * row that /api/health reads. On start it also force-unlocks jobs held by workers
 * whose heartbeat went stale: graphile-worker alone would leave a crashed
 * process's jobs locked for 4 hours.
 */
import os from "node:os";
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { Logger, makeWorkerUtils, run, type Runner, type LogFunctionFactory, type WorkerEvents } from "graphile-worker";
import type { Sql } from "postgres";
import { isAlive } from "../db/embedded-postgres";
import { redactText } from "../incoming/redact";
import { logger } from "../log";
import { SCHEDULE_CRONTAB } from "../outgoing/schedules";
import { deliveriesRunHere } from "../outgoing/give-way";
import { startEventPump } from "./event-pump";
import { taskList } from "./tasks";

export const HEARTBEAT_INTERVAL_MS = 5_000;
/** A worker silent for this long is considered dead (health 503, its jobs unlocked). */
export const HEARTBEAT_STALE_MS = 30_000;

/**
 * Recurring platform jobs, and the per-minute tick that starts scheduled outgoing flows (it
 * re-reads the published schedules each minute, so publishing one needs no restart; missed ticks
 * of the last hour are backfilled: see server/outgoing/schedules.ts).
 */
const CRONTAB = ["30 2 * * * nightly-maintenance ?max=3", SCHEDULE_CRONTAB].join("\n");

/**
 * Deliveries wait on the network, so a worker runs many at once; the local queue
 * fetches and locks jobs in batches instead of one round trip per job, and
 * completions made within a few milliseconds of each other are written in one
 * statement (https://worker.graphile.org/docs/performance#batching). A crash inside
 * that window only re-runs jobs whose deliveries are already settled: deliverOnce
 * skips them.
 */
export const WORKER_CONCURRENCY = 16;
export const WORKER_PRESET = { worker: { localQueue: { size: 64 }, completeJobBatchDelay: 5, failJobBatchDelay: 5 } };

export interface WorkerHandle {
  workerId: string;
  stop(): Promise<void>;
}

/**
 * graphile-worker asks for a scoped logger for every job it runs: the pino child is made only when
 * a message is actually written (a child per delivery was measurable on the outgoing hot path).
 * Its per-job "Completed task … with success" goes to debug: at info it wrote a line (with the
 * whole job) for every delivery, which the delivery's own log row already records.
 */
export const graphileLogFactory: LogFunctionFactory = (scope) => {
  let log: ReturnType<typeof logger> | undefined;
  return (level, message, meta) => {
    // "Failed to read crontab file" is expected: schedules are registered in code.
    if (message.includes("crontab")) return;
    const success = level === "info" && message.startsWith("Completed task ") && message.endsWith(" with success");
    const method = level === "error" ? "error" : level === "warning" ? "warn" : level === "info" && !success ? "info" : "debug";
    const base = logger();
    if (!base.isLevelEnabled(method)) return;
    log ??= base.child({ component: "graphile-worker", ...scope });
    // A failed job's message quotes its error, which can hold a connection string or a token.
    log[method](meta ?? {}, method === "error" || method === "warn" ? redactText(message) : message);
  };
};

export async function startWorker(options: { url: string; sql: Sql; concurrency?: number }): Promise<WorkerHandle> {
  const { url, sql } = options;
  const workerId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const graphileIds: string[] = [];

  await unlockJobsOfDeadWorkers(url, sql);

  let stopped = false;
  let beating: Promise<void> = Promise.resolve();
  // Serialised, so stop() can wait for the last one.
  const beat = () => (stopped ? beating : (beating = beating.then(beatNow)));
  const beatNow = async () => {
    try {
      await sql`
        insert into worker_heartbeats (worker_id, hostname, pid, graphile_worker_ids, last_seen_at)
        values (${workerId}, ${os.hostname()}, ${process.pid}, ${graphileIds}, now())
        on conflict (worker_id) do update
          set last_seen_at = now(), graphile_worker_ids = excluded.graphile_worker_ids`;
    } catch (error) {
      logger().warn({ err: error }, "worker heartbeat failed");
    }
  };
  // Jobs are locked under the pool's id (and, without a local queue, a worker's):
  // record both, before run() creates them, so a dead process's locks can be released.
  const events = new EventEmitter() as WorkerEvents;
  events.on("pool:create", ({ workerPool }) => {
    graphileIds.push(workerPool.id);
    void beat();
  });
  events.on("worker:create", ({ worker }) => {
    graphileIds.push(worker.workerId);
    void beat();
  });

  const runner: Runner = await run({
    events,
    connectionString: url,
    concurrency: options.concurrency ?? WORKER_CONCURRENCY,
    maxPoolSize: (options.concurrency ?? WORKER_CONCURRENCY) + 4,
    preset: WORKER_PRESET,
    taskList,
    noHandleSignals: true,
    pollInterval: 1_000,
    crontab: CRONTAB,
    logger: new Logger(graphileLogFactory),
  });

  await beat();
  const pump = startEventPump(sql);
  deliveriesRunHere();
  let beats = 0;
  const timer = setInterval(() => {
    void beat();
    if (++beats % 6 === 0) unlockJobsOfDeadWorkers(url, sql).catch((err) => logger().warn({ err }, "unlocking stale jobs failed"));
  }, HEARTBEAT_INTERVAL_MS);
  timer.unref();
  logger().info({ workerId }, "job worker started");

  return {
    workerId,
    async stop() {
      clearInterval(timer);
      // No beat may land after the heartbeat row is deleted below.
      stopped = true;
      await beating;
      await pump.stop();
      await runner.stop();
      await sql`delete from worker_heartbeats where worker_id = ${workerId}`.catch(() => undefined);
      logger().info({ workerId }, "job worker stopped");
    },
  };
}

async function unlockJobsOfDeadWorkers(url: string, sql: Sql) {
  const rows = await sql<{ worker_id: string; hostname: string; pid: number; graphile_worker_ids: string[]; silent: boolean }[]>`
    select worker_id, hostname, pid, graphile_worker_ids,
      last_seen_at < now() - make_interval(secs => ${HEARTBEAT_STALE_MS / 1000}) as silent
    from worker_heartbeats`;
  // Silent for too long, or (same machine) its process is simply gone.
  const stale = rows.filter((r) => r.silent || (r.hostname === os.hostname() && r.pid !== process.pid && !isAlive(r.pid)));
  if (stale.length === 0) return;
  const ids = stale.flatMap((row) => row.graphile_worker_ids);
  if (ids.length > 0) {
    const utils = await makeWorkerUtils({ connectionString: url, logger: new Logger(graphileLogFactory) });
    try {
      await utils.forceUnlockWorkers(ids);
    } finally {
      await utils.release();
    }
  }
  await sql`delete from worker_heartbeats where worker_id = any(${stale.map((r) => r.worker_id)})`;
  logger().warn({ workers: stale.map((r) => r.worker_id) }, "unlocked jobs of workers that stopped without shutting down");
}
