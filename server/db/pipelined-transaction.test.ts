/** The pipelined transaction's promise: `finish`'s statements run inside the transaction, before COMMIT. */
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/database";
import { pipelinedTransaction, Rollback } from "./pipelined-transaction";

const database = useTestDatabase();

const txid = async (sql: { unsafe: (q: string) => Promise<unknown[]> }) => ((await sql.unsafe("select txid_current()::text as id")) as { id: string }[])[0]!.id;

describe("pipelinedTransaction", () => {
  it("runs work and finish in one transaction, finish's statements before COMMIT, even when they start from async helpers", async () => {
    const { sql } = database();
    let inWork = "";
    let inFinish: string[] = [];
    await pipelinedTransaction(
      sql,
      async (tx) => {
        inWork = await txid(tx.sql);
      },
      // As recordExecution does: an async helper awaiting its query (which postgres.js starts from a microtask).
      (tx) => Promise.all([txid(tx.sql), (async () => txid(tx.sql))(), tx.sql`select txid_current()::text as id`.then((r) => r[0]!.id as string)]).then((ids) => void (inFinish = ids)),
    );
    expect(inFinish).toEqual([inWork, inWork, inWork]);
  });

  it("commits work and finish together, and rolls both back on a Rollback", async () => {
    const { sql } = database();
    await sql`create table if not exists pipelined_probe (n int)`;
    await pipelinedTransaction(
      sql,
      async (tx) => void (await tx.sql`insert into pipelined_probe values (1)`),
      async (tx) => void (await tx.sql`insert into pipelined_probe values (2)`),
    );
    await expect(
      pipelinedTransaction(sql, async (tx) => {
        await tx.sql`insert into pipelined_probe values (3)`;
        throw new Rollback("no");
      }),
    ).rejects.toBeInstanceOf(Rollback);
    expect((await sql<{ n: number }[]>`select n from pipelined_probe order by n`).map((r) => r.n)).toEqual([1, 2]);
  });
});
