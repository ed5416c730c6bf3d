/**
 * A reserved connection, or a CONNECT_TIMEOUT error (a "database unavailable" code: callers answer
 * 503) when none comes within `ms`. postgres.js's reserve() has no bound of its own: while the server
 * restarts it waits on reconnect backoff, and it lost reserves outright until our patch
 * (patches/postgres+3.4.9.patch; seen in the PostgreSQL-restart fault test as calls waiting past
 * their 15 s client timeout). A connection that arrives after the timeout is released at once.
 */
import type { ReservedSql, Sql } from "postgres";

/** The pool's connect_timeout (server/db/client.ts): the longest a healthy server makes us wait. */
export const RESERVE_TIMEOUT_MS = 5_000;

export async function reserveWithin(pool: Sql, ms = RESERVE_TIMEOUT_MS): Promise<ReservedSql> {
  const reserving = pool.reserve();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no database connection within ${ms} ms`), { code: "CONNECT_TIMEOUT" })), ms);
  });
  try {
    return await Promise.race([reserving, timeout]);
  } catch (error) {
    reserving.then((late) => late.release(), () => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
