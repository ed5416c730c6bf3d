/**
 * The unit of work (unit-of-work.ts): what commits together, what rolls back, and each speed
 * mechanism's promise, counted (socket writes, flushes, transactions) so that removing one fails here.
 * Real PostgreSQL.
 */
import net from "node:net";
import postgres, { type Sql } from "postgres";
import { afterEach, describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/database";
import { batchedStatement, deferredUnit, eachAlone, Rollback, setMechanismsOff, sharedUnit, unitOfWork } from "./unit-of-work";

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
    await expect(
      unitOfWork(
        sql,
        async (tx) => void (await tx.sql`insert into uow_probe values (4)`),
        (tx) => tx.sql`insert into uow_probe values (null)`.execute(),
      ),
    ).rejects.toMatchObject({ code: "23502" });
    expect((await sql<{ n: number }[]>`select n from uow_probe order by n`).map((r) => r.n)).toEqual([1, 2]);
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

  it("rolls back on request, and a failing statement in finish rolls everything back", async () => {
    const { sql } = database();
    await sql`create table if not exists deferred_probe2 (n int not null)`;
    for (let round = 1; round <= 2; round++) {
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

describe("sharedUnit", () => {
  /** Callers that each insert `n`; a negative `n` fails after writing (answers undefined), "savepoint" asks for one. */
  const probe = async () => {
    const { sql } = database();
    await sql`create table if not exists shared_probe (n int)`;
    let finishes = 0;
    let committedBeforeAnswer = true;
    const join = sharedUnit<number | "savepoint", number>(sql, {
      maxPerGroup: 4,
      work: (tx, items) =>
        Promise.all(
          items.map(async (n) => {
            if (n === "savepoint") return tx.savepoint(async () => 0);
            await tx.sql`insert into shared_probe values (${n})`;
            return n < 0 ? undefined : n;
          }),
        ),
      finish: (tx, items) => (finishes++, tx.sql`insert into shared_probe select 1000 + unnest(${items.filter((n) => n !== "savepoint")}::int[])`.execute()),
    });
    const call = async (n: number | "savepoint") => {
      const value = await join(n);
      // Answered only after COMMIT: another connection already sees the caller's row.
      if (value !== undefined && (await sql`select 1 from shared_probe where n = ${value}`).length === 0) committedBeforeAnswer = false;
      return value;
    };
    return { sql, call, finishes: () => finishes, committedBeforeAnswer: () => committedBeforeAnswer };
  };

  it("commits the callers of one turn in shared transactions of at most maxPerGroup, finish once per group, answers after COMMIT", async () => {
    const { sql, call, finishes, committedBeforeAnswer } = await probe();
    const values = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(call));
    expect(values).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const rows = await sql<{ n: number; tx: string }[]>`select n, xmin::text as tx from shared_probe where n between 1 and 8 or n between 1001 and 1008`;
    expect(rows).toHaveLength(16);
    expect(new Set(rows.map((r) => r.tx)).size).toBe(2);
    expect(finishes()).toBe(2);
    expect(committedBeforeAnswer()).toBe(true);
  });

  it("rolls the whole group back and sends every caller back when one fails after writing or asks for a savepoint", async () => {
    const { sql, call } = await probe();
    expect(await Promise.all([11, -12, 13].map(call))).toEqual([undefined, undefined, undefined]);
    expect(await Promise.all([21, "savepoint" as const].map(call))).toEqual([undefined, undefined]);
    expect(await sql`select 1 from shared_probe where n in (11, -12, 13, 21, 1011, 1013, 1021)`).toHaveLength(0);
  });

  it("sends a lone caller back after one turn, and every caller at once with grouping off", async () => {
    const { sql, call } = await probe();
    expect(await call(31)).toBeUndefined();
    setMechanismsOff(["grouping"]);
    expect(await Promise.all([41, 42].map(call))).toEqual([undefined, undefined]);
    expect(await sql`select 1 from shared_probe where n in (31, 41, 42)`).toHaveLength(0);
  });

  it("gives every caller the error when the database cannot be reached (no re-run that could store twice)", async () => {
    const unreachable = postgres("postgres://postgres@127.0.0.1:1/none", { max: 1, connect_timeout: 2, onnotice: () => undefined });
    try {
      const join = sharedUnit<number, number>(unreachable, { maxPerGroup: 4, work: async (_tx, items) => items });
      const results = await Promise.allSettled([join(1), join(2)]);
      expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
      expect(results.map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(["ECONNREFUSED", "ECONNREFUSED"]);
    } finally {
      await unreachable.end({ timeout: 1 });
    }
  });
});
