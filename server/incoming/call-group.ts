/**
 * Incoming calls that reach their flow in the same turn of the event loop share one transaction
 * (server/db/unit-of-work.ts `sharedUnit`, whose header states the safety rule): one BEGIN, one
 * statement proving all their cached lookups, their flows' statements pipelined on one connection,
 * their existence checks gathered, one multi-row insert of their log rows and one COMMIT (one WAL
 * flush). Each call still gets its record and its log row in one commit, and its answer only after
 * that commit. Measured (issue 19): about 2.3× the incoming throughput of one transaction per call.
 *
 * What is incoming-specific lives here: a call stays in the shared commit only when it succeeded or
 * failed without leaving writes (a validation error, a duplicate: its log row commits with the
 * others'); one that failed after writing (RecordServicesOptions.onWrite), threw, or whose cached
 * lookup went stale abandons the group, and every call of it runs again alone (handle-incoming.ts):
 * safe because an incoming flow's only effects are its transaction's writes.
 */
import type { Sql } from "postgres";
import type { ExecutionResult } from "@/server/engine/execute";
import { sharedUnit, type UnitOfWork } from "@/server/db/unit-of-work";
import { recordExecutions, type ExecutionEntry } from "@/server/executions/record-execution";
import { existsBatcher } from "@/server/records/exists-batch";
import type { RecordServicesOptions } from "@/server/records/engine-services";
import type { Queryable } from "@/server/db/queryable";
import { lookupsStillCurrent, type LookupCheck } from "./endpoint-cache";

export interface GroupedCall {
  /** What the call's cached lookup must still prove in the shared transaction (none for a fresh lookup). */
  check?: LookupCheck;
  /** Runs the call's flow on the shared transaction, its record services built with `options`. */
  run(tx: UnitOfWork, options: RecordServicesOptions): Promise<ExecutionResult>;
  /** The call's log row for the result its flow gave. */
  logEntry(result: ExecutionResult): ExecutionEntry;
  /** Further writes that commit with the log row (its Idempotency-Key's answer); statements start at once. */
  alsoCommit?(sql: Queryable, result: ExecutionResult): Promise<unknown>;
}

/** Bounds how long a transaction holds its row locks and how large its statements grow. */
export const MAX_CALLS_PER_GROUP = 32;

const groupers = new WeakMap<Sql, (call: GroupedCall) => Promise<ExecutionResult | undefined>>();

/**
 * Runs `call` together with the other calls of this event-loop turn. Resolves with its result once
 * committed, or undefined when the call must run alone (it was alone, or its group was abandoned).
 */
export function runGrouped(pool: Sql, call: GroupedCall): Promise<ExecutionResult | undefined> {
  let join = groupers.get(pool);
  if (!join) {
    join = sharedUnit<GroupedCall, ExecutionResult>(pool, {
      maxPerGroup: MAX_CALLS_PER_GROUP,
      work: runCalls,
      finish: (tx, calls, results) =>
        Promise.all([recordExecutions(tx.sql, results.map((result, i) => calls[i]!.logEntry(result))), ...calls.map((call, i) => call.alsoCommit?.(tx.sql, results[i]!))]),
    });
    groupers.set(pool, join);
  }
  return join(call);
}

async function runCalls(tx: UnitOfWork, calls: GroupedCall[]): Promise<(ExecutionResult | undefined)[]> {
  const checks = calls.flatMap((c) => (c.check ? [c.check] : []));
  const current = checks.length > 0 ? lookupsStillCurrent(tx.sql, checks) : Promise.resolve(true);
  current.catch(() => undefined); // awaited below
  const exists = existsBatcher(tx.sql);
  const results = await Promise.all(calls.map((call) => runShared(call, tx, exists)));
  // A stale lookup sends every call back: each runs alone and, stale, fresh (handle-incoming.ts).
  return (await current) ? results : calls.map(() => undefined);
}

/** The call's result, or undefined when it cannot stay in the shared commit. */
async function runShared(call: GroupedCall, tx: UnitOfWork, exists: RecordServicesOptions["exists"]) {
  let writesLeft = 0;
  const result = await call.run(tx, { exists, onWrite: (change) => (writesLeft += change) }).catch(() => undefined);
  return result && (result.outcome === "SUCCESS" || writesLeft === 0) ? result : undefined;
}
