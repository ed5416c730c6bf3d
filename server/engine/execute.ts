/**
 * Runs a compiled plan on one input: the HTTP body of an incoming call, the record of an ERP event,
 * or a designer sample. The same plan serves live runs and dry runs ("dry": services are told, store
 * is rolled back by the caller, send only records what it would send).
 */
import { executeBatch, type ItemResult } from "./batch";
import type { ExecutionPlan } from "./compile";
import { createContext, lowerCaseHeaders, type ContextOptions } from "./context";
import { runNodes } from "./run-nodes";
import { recordResult, type RecordResult } from "./result";
import { resolveServices, type EngineServices, type OutgoingRequest } from "./services";
import type { TraceEntry } from "./trace";
import type { EngineEvent, ExecutionMode } from "./types";

export type { ItemResult, RecordResult };

export interface ExecuteOptions {
  services?: EngineServices;
  /** "live" (default) or "dry". */
  mode?: ExecutionMode;
  headers?: Record<string, string>;
  /** The raw request body, for signature checks. */
  rawBody?: string;
  event?: EngineEvent;
  /** Recorded in requests' idempotency keys (`<executionId>:<nodeId>`) and passed to services. */
  executionId?: string;
}

export interface ExecutionResult extends RecordResult {
  mode: ExecutionMode;
  /** Requests send nodes made (or would have made, in a dry run). */
  requests: OutgoingRequest[];
  trace: TraceEntry[];
  durationUs: number;
  /** Batch mode: one result per item, in order. */
  items?: ItemResult[];
}

/** Shared so the resolved form is cached; every member missing. */
const NO_SERVICES: EngineServices = {};

export async function execute(plan: ExecutionPlan, input: unknown, options: ExecuteOptions = {}): Promise<ExecutionResult> {
  const started = process.hrtime.bigint();
  const mode = options.mode ?? "live";
  const services = resolveServices(options.services ?? NO_SERVICES);
  const headers = lowerCaseHeaders(options.headers);
  const contextOptions: ContextOptions = {
    mode,
    rawBody: options.rawBody,
    event: options.event,
    executionId: options.executionId,
    now: services.now(),
  };
  const ctx = createContext(plan, input, headers, services, contextOptions);
  const trace: TraceEntry[] = [];

  if (!plan.batch) {
    const { error } = await runNodes(plan, ctx, trace);
    return executionResult(recordResult(ctx, error), mode, ctx.requests, trace, started, undefined);
  }

  // Batch: the trigger checks the body once and yields the items; each item runs the rest alone.
  const { error, last } = await runNodes(plan, ctx, trace, { to: 1 });
  if (error) return executionResult(recordResult(ctx, error), mode, ctx.requests, trace, started, undefined);
  const batch = await executeBatch(plan, last as unknown[], input, headers, services, contextOptions, trace);
  return executionResult(batch.result, mode, batch.requests, trace, started, batch.items);
}

function executionResult(
  r: RecordResult,
  mode: ExecutionMode,
  requests: OutgoingRequest[],
  trace: TraceEntry[],
  started: bigint,
  items: ItemResult[] | undefined,
): ExecutionResult {
  return {
    outcome: r.outcome,
    httpStatus: r.httpStatus,
    response: r.response,
    errorCode: r.errorCode,
    recordId: r.recordId,
    record: r.record,
    referenceId: r.referenceId,
    error: r.error,
    mode,
    requests,
    trace,
    durationUs: Number((process.hrtime.bigint() - started) / 1000n),
    items,
  };
}
