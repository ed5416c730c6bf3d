/**
 * What crosses between the main thread and an expression thread (server/engine/expression-threads.ts):
 * the expression's text, limits and site, its input and bindings as structured-cloneable values,
 * and, for an evaluation with an execution scope, the scope's clock and dry-run flag and a port on
 * which the thread asks the main thread's record services for `$lookup`s.
 */
import type { MessagePort } from "node:worker_threads";
import type { SerializedFlowError } from "./errors";
import type { ExpressionLimits, ExpressionSite } from "@/flows/runtime/expression";

export interface ThreadScope {
  /** The execution's clock reading, in milliseconds. */
  now: number;
  dryRun: boolean;
  /** Answers LookupRequest with LookupAnswer; absent when the evaluation has no record services. */
  lookups?: MessagePort;
}

export interface ExpressionTask {
  text: string;
  site: ExpressionSite;
  limits: ExpressionLimits;
  input: unknown;
  bindings?: Record<string, unknown>;
  scope?: ThreadScope;
}

/** Sent once at start-up so the thread has loaded everything before the first real task. */
export interface WarmTask {
  warm: true;
}

/** `ms`: how long the evaluation itself took in the thread. */
export type ExpressionAnswer = ({ ok: true; value: unknown } | { ok: false; error: SerializedFlowError }) & { ms: number };

export interface LookupRequest {
  id: number;
  entity: string;
  key: unknown;
  field?: string;
}

export type LookupAnswer = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedFlowError };

export function isWarmTask(task: ExpressionTask | WarmTask): task is WarmTask {
  return (task as WarmTask).warm === true;
}
