/**
 * `ping`: a round trip through the job queue. Health checks and tests enqueue it
 * (from SQL, exactly as record events will) to prove a worker is taking jobs.
 */
import type { Task } from "graphile-worker";
import { getSql } from "../../db/client";

export const ping: Task = async (payload) => {
  const sql = await getSql();
  const value = { payload, at: new Date().toISOString() };
  await sql`
    insert into app_meta (key, value, updated_at) values ('worker.ping', ${sql.json(value as never)}, now())
    on conflict (key) do update set value = excluded.value, updated_at = now()`;
};
