/**
 * A connection the server closes under us (PostgreSQL restarted, backend terminated) must fail
 * the queries that use it — never the process. postgres.js 3.4.9 throws an uncaught TypeError
 * when a reserved connection is used after its backend died (porsager/postgres#1208), and hands
 * the dead connection back to the pool on release; patches/postgres+3.4.9.patch fixes both.
 */
import { describe, expect, it } from "vitest";
import { createSql } from "./client";
import { unitOfWork } from "./unit-of-work";
import { useTestDatabase } from "../testing/database";

const database = useTestDatabase();

async function terminate(pid: number) {
  const killer = createSql(database().url, 1);
  try {
    await killer`select pg_terminate_backend(${pid})`;
  } finally {
    await killer.end({ timeout: 5 });
  }
}

describe("a connection closed by the server", () => {
  it("fails each later query on a reserved connection, and the pool reconnects after its release", async () => {
    const sql = createSql(database().url, 1);
    try {
      const reserved = await sql.reserve();
      const [{ pid }] = (await reserved`select pg_backend_pid() as pid`) as unknown as [{ pid: number }];
      await terminate(pid);
      await expect(reserved`select 1`).rejects.toMatchObject({ code: expect.stringMatching(/^(CONNECTION_CLOSED|ECONNRESET|57P01)$/) });
      await expect(reserved`select 2`).rejects.toMatchObject({ code: "CONNECTION_CLOSED" });
      await expect(reserved`select 3`).rejects.toMatchObject({ code: "CONNECTION_CLOSED" });
      reserved.release();
      // The pool's only connection comes back on its own (a query racing the socket's close may fail first).
      let after: number | undefined;
      for (let i = 0; i < 20 && after === undefined; i++) {
        after = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`.then(([row]) => row!.pid, () => undefined);
        if (after === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      expect(after).toBeGreaterThan(0);
      expect(after).not.toBe(pid);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });

  it("rolls back a unit of work whose backend died without an unhandled rejection", async () => {
    const sql = createSql(database().url, 1);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const failed = await unitOfWork(sql, async (tx) => {
        const [{ pid }] = (await tx.sql`select pg_backend_pid() as pid`) as unknown as [{ pid: number }];
        await terminate(pid);
        await tx.sql`select 1`;
      }).catch((error: unknown) => error);
      expect(failed).toMatchObject({ code: expect.stringMatching(/^(CONNECTION_CLOSED|ECONNRESET|57P01)$/) });

      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
      await expect.poll(() => sql`select 1 as ok`.then((rows) => rows.length, () => 0), { timeout: 2_000 }).toBe(1);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      await sql.end({ timeout: 5 });
    }
  });
});
