import { describe, expect, it } from "vitest";
import { checkHealth } from "../health";
import { useTestDatabase } from "../testing/database";
import { startWorker } from "./runner";

const database = useTestDatabase();

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("job worker", () => {
  it("beats, runs jobs queued from SQL, and reports through health; stopping clears its heartbeat", async () => {
    const { url, sql } = database();
    expect((await checkHealth(sql)).worker.ok).toBe(false);

    const worker = await startWorker({ url, sql });
    try {
      const health = await checkHealth(sql);
      expect(health).toMatchObject({ status: "ok", database: { ok: true }, worker: { ok: true, workers: 1 } });

      await sql`select graphile_worker.add_job('ping', json_build_object('n', 42))`;
      const value = await waitFor(async () => {
        const [row] = await sql<{ value: { payload: { n: number } } }[]>`select value from app_meta where key = 'worker.ping'`;
        return row?.value;
      });
      expect(value.payload.n).toBe(42);
    } finally {
      await worker.stop();
    }
    const after = await checkHealth(sql);
    expect(after.status).toBe("degraded");
    expect(after.worker.ok).toBe(false);
  });

  it("unlocks jobs held by a worker that died without shutting down", async () => {
    const { url, sql } = database();
    await sql`select graphile_worker.add_job('ping', '{}'::json, job_key => 'stuck')`;
    // A crashed worker: its heartbeat went silent long ago while it held the job.
    await sql`update graphile_worker._private_jobs set locked_at = now(), locked_by = 'dead-graphile-worker'`;
    await sql`insert into worker_heartbeats (worker_id, hostname, pid, graphile_worker_ids, last_seen_at)
              values ('dead', 'elsewhere', 1, array['dead-graphile-worker'], now() - interval '10 minutes')`;
    const worker = await startWorker({ url, sql });
    try {
      await waitFor(async () => {
        const [row] = await sql<{ n: number }[]>`select count(*)::int as n from graphile_worker._private_jobs`;
        return row?.n === 0 ? true : undefined;
      });
      const dead = await sql`select 1 from worker_heartbeats where worker_id = 'dead'`;
      expect(dead).toHaveLength(0);
    } finally {
      await worker.stop();
    }
  });
});
