/** The lazy transaction: begins with the first statement that needs it, commits with the last ones. */
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/database";
import { lazyTransaction } from "./lazy-transaction";

const database = useTestDatabase();

const txid = async (sql: { unsafe: (q: string) => Promise<unknown[]> }) => ((await sql.unsafe("select txid_current()::text as id")) as { id: string }[])[0]!.id;

describe("lazyTransaction", () => {
  it("holds nothing until used; then runs the writes, finish's statements and COMMIT in one transaction", async () => {
    const { sql } = database();
    await sql`create table if not exists lazy_probe (n int)`;
    const tx = lazyTransaction(sql);
    try {
      expect(tx.open).toBe(false);
      const conn = await tx.sql();
      expect(tx.open).toBe(true);
      const first = await txid(conn);
      await conn`insert into lazy_probe values (1)`;
      // Not visible outside before COMMIT.
      expect(await sql`select n from lazy_probe`).toHaveLength(0);
      let inFinish: string[] = [];
      await tx.commit((c) => Promise.all([txid(c), c`insert into lazy_probe values (2)`.execute(), txid(c)]).then(([a, , b]) => void (inFinish = [a, b])));
      expect(inFinish).toEqual([first, first]);
      expect(tx.open).toBe(false);
    } finally {
      await tx.release();
    }
    expect((await sql<{ n: number }[]>`select n from lazy_probe order by n`).map((r) => r.n)).toEqual([1, 2]);
  });

  it("rolls back on request, and a failing statement in finish rolls everything back", async () => {
    const { sql } = database();
    await sql`create table if not exists lazy_probe2 (n int not null)`;
    const tx = lazyTransaction(sql);
    try {
      await (await tx.sql())`insert into lazy_probe2 values (1)`;
      await tx.rollback();
      expect(tx.open).toBe(false);
      await (await tx.sql())`insert into lazy_probe2 values (2)`;
      await expect(tx.commit((c) => c`insert into lazy_probe2 values (null)`.execute())).rejects.toMatchObject({ code: "23502" });
      // A commit opens the transaction itself when nothing did.
      await tx.commit((c) => c`insert into lazy_probe2 values (3)`.execute());
    } finally {
      await tx.release();
    }
    expect((await sql<{ n: number }[]>`select n from lazy_probe2 order by n`).map((r) => r.n)).toEqual([3]);
  });

  it("rolls back a transaction left open when released", async () => {
    const { sql } = database();
    await sql`create table if not exists lazy_probe3 (n int)`;
    const tx = lazyTransaction(sql);
    await (await tx.sql())`insert into lazy_probe3 values (1)`;
    await tx.release();
    expect(await sql`select n from lazy_probe3`).toHaveLength(0);
  });
});
