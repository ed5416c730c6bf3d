/**
 * A transaction that begins only when a write needs it, and ends with its last statements and
 * COMMIT in one socket write. An outgoing attempt uses it so that nothing holds a connection or a
 * transaction while the external system answers: the flow's own writes (the reference field,
 * usually after the send) open it, and the attempt's log row and settled state ride with COMMIT.
 * BEGIN itself costs no round trip: it is queued with the first statement that follows it.
 */
import type { ReservedSql, Sql } from "postgres";
import { withSavepoint } from "./pipelined-transaction";
import { reserveWithin } from "./reserve-within";

export interface LazyTransaction {
  /** Whether BEGIN has been sent (and neither COMMIT nor ROLLBACK since). */
  readonly open: boolean;
  /**
   * The transaction's connection, BEGIN queued on first use: a statement issued right after the
   * returned promise resolves travels in the same write as BEGIN.
   */
  sql(): Promise<ReservedSql>;
  /** Runs `fn` in a savepoint (opening the transaction): its writes are undone alone when it throws. */
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
  /** Undoes everything since BEGIN; the next sql() begins a new transaction on the same connection. */
  rollback(): Promise<void>;
  /**
   * Runs `finish` and COMMIT (opening the transaction if nothing did). `finish` must start its
   * statements without waiting on I/O first; COMMIT is queued behind them without waiting for their
   * answers. A failing statement aborts the transaction (COMMIT then rolls back) and rejects.
   */
  commit(finish: (sql: ReservedSql) => Promise<unknown>): Promise<void>;
  /** Returns the connection to the pool, rolling back a transaction still open. Always call it. */
  release(): Promise<void>;
}

export function lazyTransaction(pool: Sql): LazyTransaction {
  let reserved: Promise<ReservedSql> | undefined;
  let begun: Promise<ReservedSql> | undefined;
  let savepoints = 0;

  const connection = () => (reserved ??= reserveWithin(pool));
  const begin = () =>
    (begun ??= connection().then((sql) => {
      // Its answer is read behind the next statement's; a failed BEGIN fails that statement too.
      sql`begin`.execute().catch(() => undefined);
      return sql;
    }));

  const tx: LazyTransaction = {
    get open() {
      return begun !== undefined;
    },
    sql: begin,
    async savepoint(fn) {
      return withSavepoint(await begin(), `sp_${++savepoints}`, fn);
    },
    async rollback() {
      if (!begun) return;
      const sql = await begun;
      begun = undefined;
      await sql`rollback`;
    },
    async commit(finish) {
      const sql = await begin();
      const last = finish(sql);
      last.catch(() => undefined); // awaited below
      // postgres.js starts a query when it is awaited (a microtask): a macrotask turn lets `finish`'s
      // statements queue before COMMIT (see pipelined-transaction.ts).
      await new Promise((resolve) => setImmediate(resolve));
      const committed = sql`commit`.execute();
      begun = undefined;
      await Promise.all([last, committed]);
    },
    async release() {
      if (!reserved) return;
      const sql = await reserved.catch(() => undefined);
      reserved = undefined;
      if (!sql) return;
      try {
        if (begun) {
          begun = undefined;
          await sql`rollback`.catch(() => undefined);
        }
      } finally {
        sql.release();
      }
    },
  };
  return tx;
}
