import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/database";
import { countRateLimitedCall, pruneRateLimitWindows } from "./rate-limit";

const database = useTestDatabase();
const never = () => 1;

/** Waits out the last seconds of a minute so a test's calls land in one window. */
async function awayFromMinuteBoundary(sql: ReturnType<typeof database>["sql"]) {
  const [row] = await sql<{ second: number }[]>`select extract(second from now())::float8 as second`;
  if (row!.second > 55) await new Promise((r) => setTimeout(r, (61 - row!.second) * 1000));
}

describe("fixed-window rate limits", () => {
  it("allows `limit` calls a minute, then refuses with the seconds left in the window", async () => {
    const { sql } = database();
    await awayFromMinuteBoundary(sql);
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await countRateLimitedCall(sql, "client:a", 3, { random: never }));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.count)).toEqual([1, 2, 3, 4]);
    const [window] = await sql<{ left: number }[]>`
      select extract(epoch from (date_trunc('minute', now()) + interval '1 minute' - now()))::float8 as left`;
    const left = window!.left;
    expect(results[3]!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(results[3]!.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(Math.abs(results[3]!.retryAfterSeconds - left)).toBeLessThanOrEqual(2);
    // Buckets are independent.
    expect((await countRateLimitedCall(sql, "client:b", 3, { random: never })).allowed).toBe(true);
  });

  it("counts concurrent calls exactly once each", async () => {
    const { sql } = database();
    await awayFromMinuteBoundary(sql);
    const results = await Promise.all(Array.from({ length: 20 }, () => countRateLimitedCall(sql, "client:burst", 5, { random: never })));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("starts afresh in a new window and prunes finished ones", async () => {
    const { sql } = database();
    await sql`insert into rate_limit_windows (bucket, window_start, count)
              values ('client:old', date_trunc('minute', now()) - interval '5 minutes', 99)`;
    expect((await countRateLimitedCall(sql, "client:old", 3, { random: never })).count).toBe(1);
    expect(await pruneRateLimitWindows(sql)).toBeGreaterThanOrEqual(1);
    const rows = await sql`select 1 from rate_limit_windows where bucket = 'client:old'`;
    expect(rows).toHaveLength(1);
    // The opportunistic sweep runs when the dice say so.
    await sql`insert into rate_limit_windows (bucket, window_start, count)
              values ('client:older', date_trunc('minute', now()) - interval '9 minutes', 1)`;
    await countRateLimitedCall(sql, "client:x", 3, { random: () => 0 });
    expect(await sql`select 1 from rate_limit_windows where bucket = 'client:older'`).toHaveLength(0);
  });
});
