/**
 * How transactions work in Flowport: the one interface business code uses to say "these statements
 * commit together". Nothing else in server/ opens a hand-made transaction on the hot paths; domain
 * operations that are not hot (publishing, settings, seeding) use postgres.js's `sql.begin()` through
 * `inTransaction` (queryable.ts), whose semantics are the same (one transaction, all or nothing).
 *
 * Three shapes, each for a caller that truly needs it:
 *
 * 1. `unitOfWork(pool, work, finish?)`: one transaction for one caller (an incoming call: its record,
 *    its log row and its idempotency answer). `work` runs in it; `finish` issues the last statements
 *    (the log row), which commit with `work`'s. Throwing rolls everything back; throwing a `Rollback`
 *    carrying a value rolls back and hands that value to the caller (a failed flow's result, logged
 *    afterwards).
 *
 * 2. `deferredUnit(pool)`: a transaction that opens only when a write needs it (an outgoing attempt:
 *    nothing may hold a connection or a transaction while an external system answers). `sql()` opens
 *    it, `commit(finish)` ends it with `finish`'s statements, `rollback()` undoes it, `release()`
 *    always returns the connection (rolling back whatever is still open).
 *
 * 3. `batchedStatement(flush)`: many small same-shape writes or reads from independent callers in one
 *    turn of the event loop go to `flush` together, as one statement (and one commit). Each caller
 *    still gets its own answer or its own error. Used where workers run many jobs side by side: the
 *    outgoing claim and the settle of finished attempts. `eachAlone` is the fallback when a shared
 *    statement failed: each item again on its own, so only the one that failed fails.
 *
 * 4. `sharedUnit(pool, shape)`: callers that reach it in the same turn of the event loop share one
 *    unit of work (one BEGIN, their statements pipelined on one connection, `finish` once for all of
 *    them, one COMMIT: one WAL flush). Used by incoming calls (server/incoming/call-group.ts), which
 *    arrive many at a time under load (issue 19's A/B: about 2.3× the incoming req/s, and less than
 *    half the CPU per request, of one transaction per call). It answers `undefined` to a caller that
 *    must run its own `unitOfWork` instead, and that is the safety rule:
 *    - a shared transaction is only kept while no caller needs a rollback of its own. When `work`
 *      throws or answers `undefined` for any caller (it failed after writing, or what it relied on
 *      changed), a statement fails, or the COMMIT fails, everything rolls back and EVERY caller is
 *      answered `undefined`: each re-runs alone, so one caller's failure never loses or undoes
 *      another's work. Only safe for work whose sole effects are the transaction's writes (nothing
 *      sent anywhere before COMMIT), since it may run twice;
 *    - savepoints are refused inside it (they nest: one caller's rollback to its savepoint would undo
 *      the others' later work), which abandons the group too;
 *    - a caller gets its value only after the COMMIT;
 *    - a lone caller is not held back: it is answered `undefined` after the one turn, and runs alone;
 *    - when the database is unreachable, every caller gets that error (the COMMIT's outcome is then
 *      unknown: running again could store twice).
 *
 * The speed machinery, hidden here (callers never see it):
 * - Batching: the `batchedStatement` gathering above.
 * - Grouping: the `sharedUnit` gathering above.
 * - Giving way (server/outgoing/give-way.ts, not a database mechanism but switched by the same
 *   variable so bench/ab.ts measures it the same way): deliveries wait while live calls keep the web busy.
 * Each can be switched off (`FLOWPORT_UNIT_OF_WORK_OFF=batching,grouping`, read once) for the A/B in
 * bench/ab.ts, which decides whether it stays: a mechanism is kept only while it earns >= 10 %. With
 * batching off, each item is flushed alone at once; with grouping off, every caller is answered
 * `undefined` at once and runs its own unit of work. A third, pipelining (BEGIN sent with the first
 * statement and COMMIT queued behind the last without waiting for their answers), was removed
 * after it earned 3.5 % (issue 19's three-round A/B): BEGIN and COMMIT now wait for their answers,
 * as `sql.begin()` does. Statements a caller starts side by side (Promise.all) still share socket
 * writes: postgres.js sends what is queued on a connection together.
 */
import type { ReservedSql, Sql } from "postgres";
import { env } from "@/server/env";
import { reserveWithin } from "./reserve-within";
import { isDatabaseUnavailable } from "./unavailable";

export type Mechanism = "batching" | "grouping" | "giving-way";

let switchedOff: Set<Mechanism> | undefined;

/** Whether a speed mechanism is on (all are, unless FLOWPORT_UNIT_OF_WORK_OFF names it for bench/ab.ts). */
export function isMechanismOn(mechanism: Mechanism): boolean {
  switchedOff ??= new Set(env().FLOWPORT_UNIT_OF_WORK_OFF);
  return !switchedOff.has(mechanism);
}

/** Tests only: switch mechanisms on or off for this process (restores the configuration with undefined). */
export function setMechanismsOff(off: Mechanism[] | undefined): void {
  switchedOff = off && new Set(off);
}

/** The transaction a unit of work's callbacks write through. */
export interface UnitOfWork {
  sql: ReservedSql;
  /** Runs `fn` in a savepoint: its writes are undone alone when it throws (a batch flow's items). */
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
}

/** Thrown from `work`: rolls back, and the caller's catch gets `value` (for example a failed run's result). */
export class Rollback extends Error {
  constructor(public readonly value: unknown) {
    super("rolled back");
  }
}

/**
 * Runs `work`, then `finish`, in one transaction of their own, and commits. Resolves with `work`'s
 * value once committed; rejects (everything rolled back) when either throws or a statement fails.
 */
export async function unitOfWork<T>(pool: Sql, work: (tx: UnitOfWork) => Promise<T>, finish?: (tx: UnitOfWork, value: T) => Promise<unknown>): Promise<T> {
  const sql = await reserveWithin(pool);
  const tx = withSavepoints(sql);
  try {
    await sql`begin`;
    const value = await work(tx).catch(rollingBack(sql));
    await finishAndCommit(sql, finish && (() => finish(tx, value)));
    return value;
  } finally {
    sql.release();
  }
}

/** A transaction that opens on first use; see the file's header. */
export interface DeferredUnit {
  /** Whether the transaction is open (BEGIN sent, neither COMMIT nor ROLLBACK since). */
  readonly open: boolean;
  /** The transaction's connection, opening it (BEGIN answered) on first use. */
  sql(): Promise<ReservedSql>;
  /** Runs `fn` in a savepoint (opening the transaction): its writes are undone alone when it throws. */
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
  /** Undoes everything since it opened; the next sql() opens a new transaction on the same connection. */
  rollback(): Promise<void>;
  /**
   * Runs `finish` and commits (opening the transaction if nothing did). A failing statement rolls
   * everything back and rejects.
   */
  commit(finish: (sql: ReservedSql) => Promise<unknown>): Promise<void>;
  /** Returns the connection to the pool, rolling back a transaction still open. Always call it. */
  release(): Promise<void>;
}

export function deferredUnit(pool: Sql): DeferredUnit {
  let reserved: Promise<ReservedSql> | undefined;
  let begun: Promise<ReservedSql> | undefined;
  let savepoints = 0;

  const connection = () => (reserved ??= reserveWithin(pool));
  const begin = () =>
    (begun ??= connection().then(async (sql) => {
      await sql`begin`;
      return sql;
    }));

  return {
    get open() {
      return begun !== undefined;
    },
    sql: begin,
    async savepoint(fn) {
      return savepoint(await begin(), `sp_${++savepoints}`, fn);
    },
    async rollback() {
      if (!begun) return;
      const sql = await begun;
      begun = undefined;
      await sql`rollback`;
    },
    async commit(finish) {
      const sql = await begin();
      begun = undefined;
      await finishAndCommit(sql, () => finish(sql));
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
}

/** `finish`'s statements, then COMMIT; a failing one rolls the transaction back and rejects. */
async function finishAndCommit(sql: ReservedSql, finish: (() => Promise<unknown>) | undefined): Promise<void> {
  await finish?.().catch(rollingBack(sql));
  await sql`commit`;
}

/** A catch handler: rolls `sql`'s transaction back, then rethrows what failed. */
function rollingBack(sql: ReservedSql) {
  return async (error: unknown): Promise<never> => {
    await sql`rollback`.catch(() => undefined);
    throw error;
  };
}

function withSavepoints(sql: ReservedSql): UnitOfWork {
  let savepoints = 0;
  return { sql, savepoint: (fn) => savepoint(sql, `sp_${++savepoints}`, fn) };
}

/** Runs `fn` inside a named savepoint of `sql`'s open transaction: released on success, rolled back to on failure. */
async function savepoint<T>(sql: ReservedSql, name: string, fn: () => Promise<T>): Promise<T> {
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

/** One item's answer from a batch's flush: a value, or an error for that item alone. */
export type ItemResult<O> = { ok: true; value: O } | { ok: false; error: unknown };

/**
 * Gathers the items of one event-loop turn and hands them to `flush` together; `flush` answers each
 * in order. A lone item waits one setImmediate, no more. A throwing flush rejects every item of it.
 */
export function batchedStatement<I, O>(flush: (items: I[]) => Promise<ItemResult<O>[]>): (item: I) => Promise<O> {
  return gathered("batching", flush);
}

/** `batchedStatement`'s gathering, switched off by `mechanism`: then each item is flushed alone at once. */
function gathered<I, O>(mechanism: Mechanism, flush: (items: I[]) => Promise<ItemResult<O>[]>): (item: I) => Promise<O> {
  let pending: { item: I; resolve: (value: O) => void; reject: (error: unknown) => void }[] | undefined;

  const run = async (batch: NonNullable<typeof pending>) => {
    let results: ItemResult<O>[];
    try {
      results = await flush(batch.map((p) => p.item));
    } catch (error) {
      results = batch.map(() => ({ ok: false, error }));
    }
    batch.forEach((p, i) => {
      const result = results[i] ?? { ok: false, error: new Error("batchedStatement: flush answered fewer items than it was given") };
      if (result.ok) p.resolve(result.value);
      else p.reject(result.error);
    });
  };

  return (item) =>
    new Promise<O>((resolve, reject) => {
      if (!isMechanismOn(mechanism)) return void run([{ item, resolve, reject }]);
      if (!pending) {
        pending = [];
        setImmediate(() => {
          const batch = pending!;
          pending = undefined;
          void run(batch);
        });
      }
      pending.push({ item, resolve, reject });
    });
}

/** What the callers of a `sharedUnit` do together; see the file's header for its safety rule. */
export interface SharedShape<I, O> {
  /**
   * Runs every caller's work on the shared transaction, side by side, answering each in order:
   * its value, or `undefined` when it cannot stay (it failed after writing). `undefined` for any of
   * them, false from a check, or a throw abandons the group (rolled back; every caller runs alone).
   */
  work(tx: UnitOfWork, items: I[]): Promise<(O | undefined)[]>;
  /** The last statements for all of them, committed with their work. */
  finish?(tx: UnitOfWork, items: I[], values: O[]): Promise<unknown>;
  /** At most this many callers per transaction (bounds how long row locks are held and statements grow). */
  maxPerGroup: number;
}

/** Thrown inside a shared unit: a caller of the group needs a transaction of its own. */
class GroupAbandoned extends Error {
  constructor() {
    super("a caller of the group needs a transaction of its own");
  }
}

/**
 * The callers of one event-loop turn share one unit of work (see the header). Resolves with the
 * caller's value once committed, or `undefined` when the caller must run its own `unitOfWork` (it
 * was alone, its group was abandoned, or grouping is switched off).
 */
export function sharedUnit<I, O>(pool: Sql, shape: SharedShape<I, O>): (item: I) => Promise<O | undefined> {
  const join = gathered("grouping", async (items: I[]): Promise<ItemResult<O | undefined>[]> => {
    if (items.length === 1) return [{ ok: true, value: undefined }];
    const groups: I[][] = [];
    for (let i = 0; i < items.length; i += shape.maxPerGroup) groups.push(items.slice(i, i + shape.maxPerGroup));
    return (await Promise.all(groups.map((group) => runShared(pool, shape, group)))).flat();
  });
  return join;
}

async function runShared<I, O>(pool: Sql, shape: SharedShape<I, O>, items: I[]): Promise<ItemResult<O | undefined>[]> {
  if (items.length === 1) return [{ ok: true, value: undefined }];
  try {
    const values = await unitOfWork(
      pool,
      async (tx) => {
        // Refused, and remembered: a caller's work might catch the refusal and carry on.
        let savepointAsked = false;
        const shared: UnitOfWork = { sql: tx.sql, savepoint: () => ((savepointAsked = true), Promise.reject(new GroupAbandoned())) };
        const values = await shape.work(shared, items);
        if (savepointAsked || values.length !== items.length || values.includes(undefined)) throw new GroupAbandoned();
        return values as O[];
      },
      shape.finish && ((tx, values) => shape.finish!(tx, items, values)),
    );
    return values.map((value) => ({ ok: true, value }));
  } catch (error) {
    // Without a database, running alone would only make each caller wait again for the same
    // failure; and the COMMIT's outcome is unknown then (the connection was cut): running again
    // could store twice. Any other failure rolled everything back: each caller runs alone.
    if (isDatabaseUnavailable(error)) return items.map(() => ({ ok: false, error }));
    return items.map(() => ({ ok: true, value: undefined }));
  }
}

/** Runs `one` for each item on its own, keeping each outcome: the fallback when a shared statement failed. */
export async function eachAlone<I, O>(items: I[], one: (item: I) => Promise<O>): Promise<ItemResult<O>[]> {
  return Promise.all(items.map((item) => one(item).then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }))));
}
