/** The per-execution context every node sees, and the `$variables` every expression sees. */
import type { ExecutionPlan } from "./compile";
import { scopeToken, SCOPE_BINDING } from "./scope";
import type { ResolvedServices } from "./services";
import type { EngineEvent, ExecutionContext, ExecutionMode } from "./types";

export interface ContextOptions {
  mode: ExecutionMode;
  headers?: Record<string, string>;
  rawBody?: string;
  event?: EngineEvent;
  executionId?: string;
  now: Date;
}

/** Header names are case-insensitive; nodes and expressions see them lower-cased. */
export function lowerCaseHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers) for (const name of Object.keys(headers)) out[name.toLowerCase()] = headers[name]!;
  return out;
}

/**
 * Expressions see `$` (the node's input) plus `$trigger` (the flow's original input), `$headers`,
 * `$vars`, `$record`, `$flow` and `$mode`.
 */
export function createContext(
  plan: ExecutionPlan,
  input: unknown,
  headers: Record<string, string>,
  services: ResolvedServices,
  options: ContextOptions,
): ExecutionContext {
  const dryRun = options.mode === "dry";
  const vars: Record<string, unknown> = {};
  return {
    mode: options.mode,
    dryRun,
    services,
    flow: plan.info,
    statusRules: plan.flow.statusRules,
    trigger: { input, headers, rawBody: options.rawBody, event: options.event },
    executionId: options.executionId,
    vars,
    bindings: {
      trigger: input,
      headers,
      vars,
      record: undefined,
      flow: plan.info,
      mode: options.mode,
      [SCOPE_BINDING]: scopeToken({ services, dryRun, now: options.now }),
    },
    record: undefined,
    recordId: undefined,
    entity: undefined,
    credential: undefined,
    client: undefined,
    requests: [],
    referenceId: undefined,
    respond: undefined,
  };
}
