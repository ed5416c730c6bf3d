/**
 * Return status rules → the HTTP answer, in the seed's shapes (§3.7). Pure and client-safe: the
 * engine uses it for every execution and the designer uses it to preview the answer of a dry run.
 */
import type { Outcome, StatusRules } from "./format";

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
      const fallbackCode = input.outcome === "FAILED" ? "VALIDATION_FAILED" : "DUPLICATE_RECORD";
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
        body: { status: "error", errorCode: "INTERNAL_ERROR", message: rules.ERROR.message },
      };
  }
}
