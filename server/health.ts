/** The state /api/health reports: the database answers, and some worker beat recently. */
import type { Sql } from "postgres";
import { HEARTBEAT_STALE_MS } from "./jobs/runner";

export interface HealthReport {
  status: "ok" | "degraded";
  database: { ok: boolean; latencyMs?: number; error?: string };
  worker: { ok: boolean; workers: number; lastHeartbeatAt?: string; error?: string };
  checkedAt: string;
}

const TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function checkHealth(sql: Sql): Promise<HealthReport> {
  const report: HealthReport = {
    status: "ok",
    database: { ok: false },
    worker: { ok: false, workers: 0 },
    checkedAt: new Date().toISOString(),
  };
  const started = performance.now();
  try {
    const [row] = await withTimeout(
      sql<{ workers: number; last: Date | null }[]>`
        select count(*) filter (where last_seen_at > now() - make_interval(secs => ${HEARTBEAT_STALE_MS / 1000}))::int as workers,
               max(last_seen_at) as last
        from worker_heartbeats`,
      "the database",
    );
    report.database = { ok: true, latencyMs: Math.round(performance.now() - started) };
    report.worker = {
      ok: (row?.workers ?? 0) > 0,
      workers: row?.workers ?? 0,
      lastHeartbeatAt: row?.last?.toISOString(),
      error: (row?.workers ?? 0) > 0 ? undefined : "no job worker has reported in the last 30 s",
    };
  } catch (error) {
    report.database = { ok: false, error: (error as Error).message };
    report.worker = { ok: false, workers: 0, error: "unknown while the database is down" };
  }
  report.status = report.database.ok && report.worker.ok ? "ok" : "degraded";
  return report;
}
