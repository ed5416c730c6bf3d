/**
 * The unit of work (unit-of-work.ts): what commits together, what rolls back, and each speed
 * mechanism's promise, counted (socket writes, flushes, transactions) so that removing one fails here.
 * Real PostgreSQL.
 */
import net from "node:net";
import postgres, { type Sql } from "postgres";
import { afterEach, describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/database";
import { batchedStatement, deferredUnit, eachAlone, Rollback, setMechanismsOff, unitOfWork } from "./unit-of-work";

const database = useTestDatabase();

afterEach(() => setMechanismsOff(undefined));

const txid = async (sql: { unsafe: (q: string) => Promise<unknown[]> }) => ((await sql.unsafe("select txid_current()::text as id")) as { id: string }[])[0]!.id;

/** A one-connection pool that counts the socket writes it makes (each one a round trip's request). */
async function countingPool(): Promise<{ sql: Sql; writes: () => number; reset: () => void; end: () => Promise<void> }> {
  const url = new URL(database().url);
  let writes = 0;
  // `socket` (a socket factory) is a postgres.js option its type declarations leave out.
  const sql = postgres(database().url, {
    max: 1,
    onnotice: () => undefined,
    socket: () => {
      const socket = net.connect(Number(url.port || 5432), url.hostname);
      const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
      socket.write = ((...args: unknown[]) => (writes++, write(...args))) as typeof socket.write;
      return socket;
    },
  } as postgres.Options<Record<string, never>>);
  await sql`select 1`; // connected: startup messages are not counted
  return { sql, writes: () => writes, reset: () => void (writes = 0), end: () => sql.end({ timeout: 5 }) };
}

describe("unitOfWork", () => {
  it("runs work and finish in one transaction, finish's statements before COMMIT, even when they start from async helpers", async () => {
    const { sql } = database();
    let inWork = "";
    let inFinish: string[] = [];
    await unitOfWork(
      sql,
      async (tx) => {
        inWork = await txid(tx.sql);
      },
      // As recordExecution does: an async helper awaiting its query (which postgres.js starts from a microtask).
      (tx) => Promise.all([txid(tx.sql), (async () => txid(tx.sql))(), tx.sql`select txid_current()::text as id`.then((r) => r[0]!.id as string)]).then((ids) => void (inFinish = ids)),
    );
    expect(inFinish).toEqual([inWork, inWork, inWork]);
  });

  it("commits work and finish together, and rolls both back on a Rollback or a failing finish", async () => {
    const { sql } = database();
    await sql`create table if not exists uow_probe (n int not null)`;
    await unitOfWork(
      sql,
      async (tx) => void (await tx.sql`insert into uow_probe values (1)`),
      async (tx) => void (await tx.sql`insert into uow_probe values (2)`),
    );
    await expect(
      unitOfWork(sql, async (tx) => {
        await tx.sql`insert into uow_probe values (3)`;
        throw new Rollback("no");
      }),
    ).rejects.toBeInstanceOf(Rollback);
    for (const off of [undefined, ["pipelining" as const]]) {
      setMechanismsOff(off);
      await expect(
        unitOfWork(
          sql,
          async (tx) => void (await tx.sql`insert into uow_probe values (4)`),
          (tx) => tx.sql`insert into uow_probe values (null)`.execute(),
        ),
      ).rejects.toMatchObject({ code: "23502" });
    }
    expect((await sql<{ n: number }[]>`select n from uow_probe order by n`).map((r) => r.n)).toEqual([1, 2]);
  });

  it("pipelining: BEGIN travels with the first statement and the last statement with COMMIT (2 socket writes, 4 without)", async () => {
    const pool = await countingPool();
    try {
      const oneCall = async () => {
        pool.reset();
        await unitOfWork(
          pool.sql,
          async (tx) => void (await tx.sql`select 1`),
          (tx) => tx.sql`select 2`.execute(),
        );
        return pool.writes();
      };
      expect(await oneCall()).toBe(2);
      setMechanismsOff(["pipelining"]);
      expect(await oneCall()).toBe(4);
    } finally {
      await pool.end();
    }
  });
});

describe("deferredUnit", () => {
  it("holds no connection until used; then runs the writes, finish's statements and COMMIT in one transaction", async () => {
    const { sql } = database();
    await sql`create table if not exists deferred_probe (n int)`;
    const pool = await countingPool();
    const tx = deferredUnit(pool.sql);
    try {
      expect(tx.open).toBe(false);
      // The pool's only connection is still free: a unit that never writes costs nothing.
      pool.reset();
      await pool.sql`select 1`;
      expect(pool.writes()).toBe(1);
      const conn = await tx.sql();
      expect(tx.open).toBe(true);
      const first = await txid(conn);
      await conn`insert into deferred_probe values (1)`;
      // Not visible outside before COMMIT.
      expect(await sql`select n from deferred_probe`).toHaveLength(0);
      let inFinish: string[] = [];
      await tx.commit((c) => Promise.all([txid(c), c`insert into deferred_probe values (2)`.execute(), txid(c)]).then(([a, , b]) => void (inFinish = [a, b])));
      expect(inFinish).toEqual([first, first]);
      expect(tx.open).toBe(false);
    } finally {
      await tx.release();
      await pool.end();
    }
    expect((await sql<{ n: number }[]>`select n from deferred_probe order by n`).map((r) => r.n)).toEqual([1, 2]);
  });

  it("rolls back on request, and a failing statement in finish rolls everything back (pipelined or not)", async () => {
    const { sql } = database();
    await sql`create table if not exists deferred_probe2 (n int not null)`;
    for (const off of [undefined, ["pipelining" as const]]) {
      setMechanismsOff(off);
      const tx = deferredUnit(sql);
      try {
        await (await tx.sql())`insert into deferred_probe2 values (1)`;
        await tx.rollback();
        expect(tx.open).toBe(false);
        await (await tx.sql())`insert into deferred_probe2 values (2)`;
        await expect(tx.commit((c) => c`insert into deferred_probe2 values (null)`.execute())).rejects.toMatchObject({ code: "23502" });
        // A commit opens the transaction itself when nothing did.
        await tx.commit((c) => c`insert into deferred_probe2 values (3)`.execute());
      } finally {
        await tx.release();
      }
    }
    expect((await sql<{ n: number }[]>`select n from deferred_probe2 order by n`).map((r) => r.n)).toEqual([3, 3]);
  });

  it("rolls back a transaction left open when released", async () => {
    const { sql } = database();
    await sql`create table if not exists deferred_probe3 (n int)`;
    const tx = deferredUnit(sql);
    await (await tx.sql())`insert into deferred_probe3 values (1)`;
    await tx.release();
    expect(await sql`select n from deferred_probe3`).toHaveLength(0);
  });
});

describe("batchedStatement", () => {
  it("hands the items of one event-loop turn to one flush, answering each on its own (one flush each without batching)", async () => {
    const flushed: number[][] = [];
    const double = batchedStatement<number, number>(async (items) => {
      flushed.push(items);
      return items.map((n) => (n < 0 ? { ok: false, error: new Error(`negative ${n}`) } : { ok: true, value: n * 2 }));
    });
    const first = await Promise.allSettled([double(1), double(-2), double(3)]);
    const second = await double(4);
    expect(flushed).toEqual([[1, -2, 3], [4]]);
    expect(first.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([2, "negative -2", 6]);
    expect(second).toBe(8);

    setMechanismsOff(["batching"]);
    flushed.length = 0;
    await Promise.all([double(5), double(6)]);
    expect(flushed).toEqual([[5], [6]]);
  });

  it("commits the writes of 20 concurrent callers in one transaction", async () => {
    const { sql } = database();
    await sql`create table if not exists batched_probe (n int)`;
    const insert = batchedStatement<number, void>(async (items) => {
      const tx = deferredUnit(sql);
      try {
        await tx.commit((c) => c`insert into batched_probe select unnest(${items}::int[])`.execute());
      } finally {
        await tx.release();
      }
      return items.map(() => ({ ok: true, value: undefined }));
    });
    await Promise.all(Array.from({ length: 20 }, (_, i) => insert(i)));
    const rows = await sql<{ n: number; tx: string }[]>`select n, xmin::text as tx from batched_probe`;
    expect(rows).toHaveLength(20);
    expect(new Set(rows.map((r) => r.tx)).size).toBe(1);
  });

  it("rejects every item of a flush that throws, and keeps working afterwards", async () => {
    let fail = true;
    const echo = batchedStatement<string, string>(async (items) => {
      if (fail) throw new Error("database gone");
      return items.map((value) => ({ ok: true, value }));
    });
    const results = await Promise.allSettled([echo("a"), echo("b")]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    expect(await echo("c")).toBe("c");
  });

  it("eachAlone keeps each item's own outcome", async () => {
    const results = await eachAlone([1, 2], async (n) => {
      if (n === 2) throw new Error("two");
      return n;
    });
    expect(results).toEqual([{ ok: true, value: 1 }, { ok: false, error: new Error("two") }]);
  });
});
