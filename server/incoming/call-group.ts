/**
 * Incoming calls that reach their flow in the same turn of the event loop share one transaction:
 * one BEGIN, one statement proving all their cached lookups, their flows' statements pipelined on
 * one connection, one multi-row insert of their log rows and one COMMIT (one WAL flush). Under load
 * many calls arrive together, and those per-call statements, socket writes and commits were a large
 * share of both processes' CPU on the incoming hot path (issue 4). Each call still gets its record
 * and its log row in one commit, and its answer only after that commit.
 *
 * Sharing is only safe while no call needs a rollback of its own. When a call fails after writing
 * (RecordServicesOptions.onWrite), a run throws, a lookup went stale, or any shared statement or the
 * COMMIT fails, everything rolls back and each call of the group runs again alone, in a transaction
 * of its own (handle-incoming.ts): safe because an incoming flow's only effects are its
 * transaction's writes. A call that fails without leaving writes (a validation error, a duplicate)
 * stays: its log row commits with the others'. A lone call is not held back: it runs alone at once.
 */
import type { Sql } from "postgres";
import type { ExecutionResult } from "@/server/engine/execute";
import { isDatabaseUnavailable } from "@/server/db/unavailable";
import { pipelinedTransaction, type PipelinedTransaction } from "@/server/db/pipelined-transaction";
import { tickBatcher, type ItemResult } from "@/server/db/tick-batcher";
import { recordExecutions, type ExecutionEntry } from "@/server/executions/record-execution";
import { existsBatcher } from "@/server/records/exists-batch";
import type { RecordServicesOptions } from "@/server/records/engine-services";
import type { Queryable } from "@/server/db/queryable";
import { lookupsStillCurrent, type LookupCheck } from "./endpoint-cache";

export interface GroupedCall {
  /** What the call's cached lookup must still prove in the shared transaction (none for a fresh lookup). */
  check?: LookupCheck;
  /** Runs the call's flow on the shared transaction, its record services built with `options`. */
  run(tx: PipelinedTransaction, options: RecordServicesOptions): Promise<ExecutionResult>;
  /** The call's log row for the result its flow gave. */
  logEntry(result: ExecutionResult): ExecutionEntry;
  /** Further writes that commit with the log row (its Idempotency-Key's answer); statements start at once. */
  alsoCommit?(sql: Queryable, result: ExecutionResult): Promise<unknown>;
}

/** Bounds how long a transaction holds its row locks and how large its statements grow. */
export const MAX_CALLS_PER_GROUP = 32;

class GroupAbandoned extends Error {
  constructor() {
    super("a call of the group needs a transaction of its own");
  }
}

const groupers = new WeakMap<Sql, (call: GroupedCall) => Promise<ExecutionResult | undefined>>();

/**
 * Runs `call` together with the other calls of this event-loop turn. Resolves with its result once
 * committed, or undefined when the call must run alone (it was alone, or its group was abandoned).
 */
export function runGrouped(pool: Sql, call: GroupedCall): Promise<ExecutionResult | undefined> {
  let join = groupers.get(pool);
  if (!join) groupers.set(pool, (join = tickBatcher((calls: GroupedCall[]) => runGroups(pool, calls))));
  return join(call);
}

async function runGroups(pool: Sql, calls: GroupedCall[]): Promise<ItemResult<ExecutionResult | undefined>[]> {
  if (calls.length === 1) return [{ ok: true, value: undefined }];
  const groups: GroupedCall[][] = [];
  for (let i = 0; i < calls.length; i += MAX_CALLS_PER_GROUP) groups.push(calls.slice(i, i + MAX_CALLS_PER_GROUP));
  return (await Promise.all(groups.map((group) => runGroup(pool, group)))).flat();
}

async function runGroup(pool: Sql, calls: GroupedCall[]): Promise<ItemResult<ExecutionResult | undefined>[]> {
  try {
    const results = await runTogether(pool, calls);
    return results.map((value) => ({ ok: true, value }));
  } catch (error) {
    // Without a database, running alone would only make each caller wait again for the same 503. This
    // is also the only failure after which the COMMIT's outcome is unknown (the connection was cut):
    // running those calls again could store twice, so they answer 503 as a lone call would. Any other
    // failure is PostgreSQL refusing a statement or us abandoning the group: everything rolled back.
    if (isDatabaseUnavailable(error)) return calls.map(() => ({ ok: false, error }));
    return calls.map(() => ({ ok: true, value: undefined }));
  }
}

async function runTogether(pool: Sql, calls: GroupedCall[]): Promise<ExecutionResult[]> {
  return pipelinedTransaction(
    pool,
    async (tx) => {
      const checks = calls.flatMap((c) => (c.check ? [c.check] : []));
      const current = checks.length > 0 ? lookupsStillCurrent(tx.sql, checks) : Promise.resolve(true);
      current.catch(() => undefined); // awaited below
      // Savepoints nest: one call's rollback to its savepoint would undo the others' later work.
      const shared: PipelinedTransaction = { sql: tx.sql, savepoint: () => Promise.reject(new GroupAbandoned()) };
      const exists = existsBatcher(tx.sql);
      const results = await Promise.all(calls.map((call) => runShared(call, shared, exists)));
      if (!(await current) || results.includes(undefined)) throw new GroupAbandoned();
      return results as ExecutionResult[];
    },
    (tx, results) =>
      Promise.all([
        recordExecutions(tx.sql, results.map((result, i) => calls[i]!.logEntry(result))),
        ...calls.map((call, i) => call.alsoCommit?.(tx.sql, results[i]!)),
      ]),
  );
}

/** The call's result, or undefined when it cannot stay in the shared commit. */
async function runShared(call: GroupedCall, tx: PipelinedTransaction, exists: RecordServicesOptions["exists"]) {
  let writesLeft = 0;
  const result = await call.run(tx, { exists, onWrite: (change) => (writesLeft += change) }).catch(() => undefined);
  return result && (result.outcome === "SUCCESS" || writesLeft === 0) ? result : undefined;
}
