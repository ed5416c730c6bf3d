import type { ReservedSql, Sql } from "postgres";
import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./unavailable";
import { reserveWithin } from "./reserve-within";

/** A pool whose reserve() answers when told to (a server that is restarting). */
function slowPool() {
  let give!: (sql: ReservedSql) => void;
  const pool = { reserve: () => new Promise<ReservedSql>((resolve) => (give = resolve)) } as unknown as Sql;
  return { pool, give: (sql: ReservedSql) => give(sql) };
}

describe("reserveWithin", () => {
  it("gives up with a database-unavailable error, and releases a connection that comes later", async () => {
    const { pool, give } = slowPool();
    const error = await reserveWithin(pool, 20).catch((e: unknown) => e);
    expect(isDatabaseUnavailable(error)).toBe(true);
    let released = false;
    give({ release: () => (released = true) } as unknown as ReservedSql);
    await new Promise((r) => setImmediate(r));
    expect(released).toBe(true);
  });

  it("hands over a connection that comes in time", async () => {
    const { pool, give } = slowPool();
    const connection = { release: () => undefined } as unknown as ReservedSql;
    const reserving = reserveWithin(pool, 1_000);
    give(connection);
    expect(await reserving).toBe(connection);
  });
});
