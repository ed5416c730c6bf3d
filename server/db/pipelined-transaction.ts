/**
 * A transaction on a reserved connection whose BEGIN travels with the first query
 * and whose last write travels with COMMIT. postgres.js's sql.begin() awaits each
 * of those separately; on the incoming hot path every avoided round trip is a
 * socket write saved (writes were the largest CPU cost in profiles).
 */
import type { ReservedSql, Sql } from "postgres";
import { reserveWithin } from "./reserve-within";

export interface PipelinedTransaction {
  sql: ReservedSql;
  /** Runs `fn` in a savepoint: its writes are undone alone when it throws. */
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
}

export class Rollback extends Error {
  constructor(public readonly value: unknown) {
    super("rolled back");
  }
}

/**
 * Runs `work`, then `finish` pipelined with COMMIT. Throwing (or throwing a
 * Rollback carrying a value) rolls everything back.
 */
export async function pipelinedTransaction<T>(
  pool: Sql,
  work: (tx: PipelinedTransaction) => Promise<T>,
  finish?: (tx: PipelinedTransaction, value: T) => Promise<unknown>,
): Promise<T> {
  const sql = await reserveWithin(pool);
  let savepoints = 0;
  const tx: PipelinedTransaction = {
    sql,
    savepoint: (fn) => withSavepoint(sql, `sp_${++savepoints}`, fn),
  };
  let open = false;
  try {
    const begun = sql`begin`.execute();
    // Awaited after the work; if the work fails first (say the connection died), BEGIN's own
    // rejection must not surface as an unhandled one.
    begun.catch(() => undefined);
    open = true;
    const value = await work(tx);
    await begun;
    const last = finish ? finish(tx, value) : Promise.resolve();
    // postgres.js starts a query when it is awaited, which happens in a microtask: COMMIT queued right
    // away would overtake `finish`'s statements and leave them to run after it, outside the
    // transaction. A macrotask turn lets them queue first (`finish` must not wait on I/O before
    // starting its statements); COMMIT still rides behind them without waiting for their answers.
    last.catch(() => undefined); // awaited below
    await new Promise((resolve) => setImmediate(resolve));
    const committed = sql`commit`.execute();
    await Promise.all([last, committed]);
    open = false;
    return value;
  } catch (error) {
    if (open) await sql`rollback`.catch(() => undefined);
    throw error;
  } finally {
    sql.release();
  }
}

/** Runs `fn` inside a named savepoint of `sql`'s open transaction: released on success, rolled back to on failure. */
export async function withSavepoint<T>(sql: ReservedSql, name: string, fn: () => Promise<T>): Promise<T> {
  await sql.unsafe(`savepoint ${name}`);
  try {
    const value = await fn();
    await sql.unsafe(`release savepoint ${name}`);
    return value;
  } catch (error) {
    await sql.unsafe(`rollback to savepoint ${name}`);
    throw error;
  }
}
