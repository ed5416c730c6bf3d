/**
 * Return status rules → the HTTP answer, in the seed's shapes (§3.7). Pure and client-safe: the
 * engine uses it for every execution and the designer uses it to preview the answer of a dry run.
 */
import type { AppErrorCode } from "./app-errors";
import { DEFAULT_STATUS_RULES, OUTCOMES, type Outcome, type StatusRules } from "./format";

export interface ResponseFieldError {
  field: string;
  rule: string;
  code: string;
  message: string;
}

export interface RenderResponseInput {
  outcome: Outcome;
  recordId?: string;
  /** Outgoing: the external system's reference ID. */
  referenceId?: string;
  /** The error's code (FAILED/DUPLICATE); ignored for SUCCESS and hidden for ERROR. */
  errorCode?: string;
  /** The error's safe message (FAILED/DUPLICATE) or a respond node's success message. */
  message?: string;
  /** Every field error of a failed validation, in rule order. */
  errors?: ResponseFieldError[];
  /** The error's own HTTP status when it is not a validation failure (401, 404, 502...). */
  httpStatus?: number;
}

export interface RenderedResponse {
  httpStatus: number;
  body: Record<string, unknown>;
}

export function renderResponse(rules: StatusRules, input: RenderResponseInput): RenderedResponse {
  switch (input.outcome) {
    case "SUCCESS": {
      const body: Record<string, unknown> = { status: "success", message: input.message ?? rules.SUCCESS.message };
      if (input.recordId !== undefined) body.recordId = input.recordId;
      if (input.referenceId !== undefined) body.referenceId = input.referenceId;
      return { httpStatus: rules.SUCCESS.httpStatus, body };
    }
    case "FAILED":
    case "DUPLICATE": {
      const rule = input.outcome === "FAILED" ? rules.FAILED : rules.DUPLICATE;
      const fallbackCode: AppErrorCode = input.outcome === "FAILED" ? "VALIDATION_FAILED" : "DUPLICATE_RECORD";
      const message =
        (input.outcome === "DUPLICATE" ? rules.DUPLICATE.message : undefined) ?? input.message ?? "The request was rejected";
      const body: Record<string, unknown> = { status: "error", errorCode: input.errorCode ?? fallbackCode, message };
      if (input.errors && input.errors.length > 0) body.errors = input.errors;
      const httpStatus = input.outcome === "FAILED" ? (input.httpStatus ?? rule.httpStatus) : rule.httpStatus;
      return { httpStatus, body };
    }
    case "ERROR":
      // Unexpected failures never leak their cause to the caller; the trace and logs keep it.
      return {
        httpStatus: rules.ERROR.httpStatus,
        body: { status: "error", errorCode: "INTERNAL_ERROR" satisfies AppErrorCode, message: rules.ERROR.message },
      };
  }
}

/**
 * Installation defaults vs per-flow overrides. A flow file always carries all four rules (the
 * format fills in the built-in ones), so an outcome whose rule is exactly the built-in default is
 * read as "follow the installation's defaults", and any other value as this flow's override.
 */
export function statusRuleOverrides(flowRules: StatusRules): Outcome[] {
  return OUTCOMES.filter((outcome) => !sameRule(flowRules[outcome], DEFAULT_STATUS_RULES[outcome]));
}

/** The rules a flow answers with: its overrides, and the installation's defaults for the rest. */
export function effectiveStatusRules(flowRules: StatusRules, defaults: StatusRules): StatusRules {
  const overrides = new Set(statusRuleOverrides(flowRules));
  return {
    SUCCESS: overrides.has("SUCCESS") ? flowRules.SUCCESS : defaults.SUCCESS,
    FAILED: overrides.has("FAILED") ? flowRules.FAILED : defaults.FAILED,
    DUPLICATE: overrides.has("DUPLICATE") ? flowRules.DUPLICATE : defaults.DUPLICATE,
    ERROR: overrides.has("ERROR") ? flowRules.ERROR : defaults.ERROR,
  };
}

function sameRule(a: object, b: object): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}
