/**
 * `ping`: a round trip through the job queue. Health checks and tests enqueue it
 * (from SQL, exactly as record events will) to prove a worker is taking jobs.
 */
import type { Task } from "graphile-worker";
import { sql } from "drizzle-orm";
import { getDb } from "../../db/client";

export const ping: Task = async (payload) => {
  const db = await getDb();
  const value = JSON.stringify({ payload, at: new Date().toISOString() });
  await db.execute(sql`
    insert into app_meta (key, value, updated_at) values ('worker.ping', ${value}::jsonb, now())
    on conflict (key) do update set value = excluded.value, updated_at = now()`);
};
