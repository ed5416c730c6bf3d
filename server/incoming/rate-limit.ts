/**
 * Per-client request limits: a fixed one-minute window counted in PostgreSQL, so every web
 * replica shares one count and a restart forgets nothing. One upsert per call; windows are
 * bucketed on the database clock (date_trunc('minute', now())) so replicas with skewed clocks
 * still agree. A fixed window lets a burst of up to twice the limit straddle a minute boundary;
 * that is the accepted price of one row per client per minute.
 */
import type { Queryable } from "@/server/db/queryable";

export interface RateLimitResult {
  allowed: boolean;
  /** Calls counted in this window, this one included. */
  count: number;
  limit: number;
  /** Seconds until the window ends (at least 1): the Retry-After of a refused call. */
  retryAfterSeconds: number;
}

/**
 * The IETF draft's RateLimit-* answer headers (draft-ietf-httpapi-ratelimit-headers, the names the
 * OWASP ruleset accepts): the client's limit, what is left of it this minute, and seconds until the
 * window ends. Sent on every answer to a client that has a limit, the 429 included.
 */
export function rateLimitHeaders(result: RateLimitResult): Record<string, string> {
  return {
    "ratelimit-limit": String(result.limit),
    "ratelimit-remaining": String(Math.max(0, result.limit - result.count)),
    "ratelimit-reset": String(result.retryAfterSeconds),
  };
}

/** Windows older than this are never read again. */
const KEEP_WINDOWS_SECONDS = 120;
/** Share of calls that also sweep old windows, so the table stays small without a job. */
const PRUNE_PROBABILITY = 0.01;

export async function countRateLimitedCall(
  sql: Queryable,
  bucket: string,
  limit: number,
  options: { random?: () => number } = {},
): Promise<RateLimitResult> {
  const [row] = await sql<{ count: number; retry_after: number }[]>`
    insert into rate_limit_windows (bucket, window_start, count)
    values (${bucket}, date_trunc('minute', now()), 1)
    on conflict (bucket, window_start) do update set count = rate_limit_windows.count + 1
    returning count, greatest(1, ceil(extract(epoch from (window_start + interval '1 minute' - now()))))::int as retry_after`;
  if ((options.random ?? Math.random)() < PRUNE_PROBABILITY) await pruneRateLimitWindows(sql);
  const count = row!.count;
  return { allowed: count <= limit, count, limit, retryAfterSeconds: row!.retry_after };
}

/** Deletes finished windows; returns how many. */
export async function pruneRateLimitWindows(sql: Queryable): Promise<number> {
  const deleted = await sql`
    delete from rate_limit_windows where window_start < now() - make_interval(secs => ${KEEP_WINDOWS_SECONDS})`;
  return deleted.count;
}
