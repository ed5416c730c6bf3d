/**
 * Batch mode (trigger.http mode "batch"): every item runs the flow after the trigger on its own, and
 * the answer lists each item's result. With the flow option `batchAllOrNothing`, a live batch runs
 * in one services transaction that is rolled back when any item fails. Items keep running after a
 * failure so the caller learns every bad record at once; services implementing `transaction` must
 * therefore keep a failed item from poisoning the rest (a savepoint per statement in Postgres).
 */
import type { ExecutionPlan } from "./compile";
import { createContext, type ContextOptions } from "./context";
import { toFlowError } from "./errors";
import { recordResult, type RecordResult } from "./result";
import { runNodes } from "./run-nodes";
import { resolveServices, type OutgoingRequest, type ResolvedServices } from "./services";
import type { TraceEntry } from "./trace";

export type ItemResult = RecordResult & { index: number };

const ROLLBACK = Symbol("rollback batch");

function summarize(results: ItemResult[], rolledBack: boolean): Record<string, unknown>[] {
  return results.map((r) => {
    if (r.outcome === "SUCCESS") {
      const ok: Record<string, unknown> = { index: r.index, status: rolledBack ? "rolled_back" : "success" };
      if (r.recordId !== undefined && !rolledBack) ok.recordId = r.recordId;
      return ok;
    }
    const failed: Record<string, unknown> = { index: r.index, status: "error", errorCode: r.response.errorCode, message: r.response.message };
    if (r.response.errors !== undefined) failed.errors = r.response.errors;
    return failed;
  });
}

function aggregate(plan: ExecutionPlan, results: ItemResult[], allOrNothing: boolean): RecordResult {
  const failures = results.filter((r) => r.outcome !== "SUCCESS");
  const n = results.length;
  if (failures.length === 0) {
    return {
      outcome: "SUCCESS",
      httpStatus: plan.flow.statusRules.SUCCESS.httpStatus,
      response: { status: "success", message: `${n} record${n === 1 ? "" : "s"} saved successfully`, results: summarize(results, false) },
    };
  }
  const first = failures[0]!;
  if (allOrNothing || failures.length === n) {
    const why = `the record at index ${first.index} failed: ${String(first.response.message)}`;
    return {
      errorCode: first.errorCode,
      error: first.error,
      outcome: first.outcome,
      httpStatus: first.httpStatus,
      response: {
        status: "error",
        errorCode: first.response.errorCode,
        message: allOrNothing && failures.length < n ? `Batch rejected, nothing saved: ${why}` : `No records were saved: ${why}`,
        results: summarize(results, allOrNothing),
      },
    };
  }
  return {
    errorCode: first.errorCode,
    error: first.error,
    // Some saved, some not: the caller must look at each item (207 Multi-Status).
    outcome: "FAILED",
    httpStatus: 207,
    response: { status: "partial", message: `${n - failures.length} of ${n} records saved`, results: summarize(results, false) },
  };
}

export async function executeBatch(
  plan: ExecutionPlan,
  items: unknown[],
  body: unknown,
  headers: Record<string, string>,
  services: ResolvedServices,
  options: ContextOptions,
  trace: TraceEntry[],
): Promise<{ result: RecordResult; items: ItemResult[]; requests: OutgoingRequest[] }> {
  const results: ItemResult[] = [];
  const requests: OutgoingRequest[] = [];
  const traceStart = trace.length;
  const runAll = async (itemServices: ResolvedServices): Promise<void> => {
    // A transaction may retry its callback: start each attempt clean.
    results.length = 0;
    requests.length = 0;
    trace.length = traceStart;
    for (let index = 0; index < items.length; index++) {
      // `$trigger` is the whole body; `$` is the item.
      const ctx = createContext(plan, body, headers, itemServices, options);
      const { error } = await runNodes(plan, ctx, trace, { from: 1, seed: { index: 0, output: items[index] }, item: index });
      const result = recordResult(ctx, error) as ItemResult;
      result.index = index;
      results.push(result);
      requests.push(...ctx.requests);
    }
  };

  const allOrNothing = plan.flow.options.batchAllOrNothing;
  if (allOrNothing && options.mode === "live") {
    try {
      await services.transaction(async (tx) => {
        await runAll(resolveServices(tx));
        if (results.some((r) => r.outcome !== "SUCCESS")) throw ROLLBACK;
      });
    } catch (err) {
      if (err !== ROLLBACK) {
        const ctx = createContext(plan, body, headers, services, options);
        return { result: recordResult(ctx, toFlowError(err)), items: results, requests };
      }
    }
  } else {
    await runAll(services);
  }
  return { result: aggregate(plan, results, allOrNothing), items: results, requests };
}
