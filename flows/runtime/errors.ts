/**
 * One error family for everything a flow can fail with. Codes are stable (callers, logs and tests
 * match on them); `message` is safe to show to the caller; `details` and `cause` stay in traces
 * and logs. The incoming route, the outgoing job and tRPC all turn a FlowError into their own shape
 * through `httpStatus`, `outcome` and `retryable`.
 */
import { APP_ERRORS, type AppErrorCode } from "@/flows/app-errors";
import type { Outcome } from "@/flows/format";
import type { ResponseFieldError } from "@/flows/status-rules";

export const FLOW_ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  WORKFLOW_RULE: 400,
  AUTH_FAILED: 401,
  NOT_FOUND: 404,
  DUPLICATE_RECORD: 409,
  EXPRESSION_ERROR: 500,
  EXPRESSION_TIMEOUT: 500,
  EXPRESSION_LIMIT: 500,
  INTERNAL_ERROR: 500,
  EXTERNAL_ERROR: 502,
} as const satisfies Partial<Record<AppErrorCode, number>>; // each code is a row of the error table (its status: server/errors/app-error.test.ts)
export type FlowErrorCode = keyof typeof FLOW_ERROR_STATUS;

/** A failed validation rule; the answer of a rejected record lists all of them. */
export type FieldError = ResponseFieldError;

export interface FlowErrorOptions {
  message?: string;
  details?: Record<string, unknown>;
  nodeId?: string;
  fieldErrors?: FieldError[];
  /** EXTERNAL_ERROR: whether another attempt may succeed (timeouts, 408, 429, 5xx). */
  retryable?: boolean;
  /** Overrides the code's HTTP status (e.g. the external system's own status for logs). */
  httpStatus?: number;
  cause?: unknown;
}

export class FlowError extends Error {
  readonly code: FlowErrorCode;
  readonly httpStatus: number;
  readonly details: Record<string, unknown>;
  readonly fieldErrors: FieldError[];
  readonly retryable: boolean;
  nodeId: string | undefined;

  constructor(code: FlowErrorCode, options: FlowErrorOptions = {}) {
    super(options.message ?? APP_ERRORS[code].message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "FlowError";
    this.code = code;
    this.httpStatus = options.httpStatus ?? FLOW_ERROR_STATUS[code];
    this.details = options.details ?? {};
    this.fieldErrors = options.fieldErrors ?? [];
    this.retryable = options.retryable ?? false;
    this.nodeId = options.nodeId;
  }

  /** Which return status rule answers this error. */
  get outcome(): Outcome {
    return outcomeOf(this.code);
  }

  /** The JSON form kept in traces and execution logs. */
  toJSON(): SerializedFlowError {
    const out: SerializedFlowError = { code: this.code, message: this.message, httpStatus: this.httpStatus };
    if (this.nodeId !== undefined) out.nodeId = this.nodeId;
    if (this.fieldErrors.length > 0) out.fieldErrors = this.fieldErrors;
    if (Object.keys(this.details).length > 0) out.details = this.details;
    if (this.code === "EXTERNAL_ERROR") out.retryable = this.retryable;
    return out;
  }
}

export interface SerializedFlowError {
  code: FlowErrorCode;
  message: string;
  httpStatus: number;
  nodeId?: string;
  fieldErrors?: FieldError[];
  details?: Record<string, unknown>;
  retryable?: boolean;
}

/** The FlowError a `toJSON()` came from (one that crossed a thread boundary, say). */
export function flowErrorFromJSON(json: SerializedFlowError): FlowError {
  return new FlowError(json.code, {
    message: json.message,
    httpStatus: json.httpStatus,
    nodeId: json.nodeId,
    ...(json.fieldErrors ? { fieldErrors: json.fieldErrors } : {}),
    ...(json.details ? { details: json.details } : {}),
    ...(json.retryable !== undefined ? { retryable: json.retryable } : {}),
  });
}

export function outcomeOf(code: FlowErrorCode): Outcome {
  switch (code) {
    case "DUPLICATE_RECORD":
      return "DUPLICATE";
    case "VALIDATION_FAILED":
    case "WORKFLOW_RULE":
    case "AUTH_FAILED":
    case "NOT_FOUND":
    case "EXTERNAL_ERROR":
      return "FAILED";
    case "EXPRESSION_ERROR":
    case "EXPRESSION_TIMEOUT":
    case "EXPRESSION_LIMIT":
    case "INTERNAL_ERROR":
      return "ERROR";
  }
}

/** Any thrown value as a FlowError: unknown errors become INTERNAL_ERROR with the cause kept. */
export function toFlowError(err: unknown, nodeId?: string): FlowError {
  const flowError =
    err instanceof FlowError
      ? err
      : new FlowError("INTERNAL_ERROR", {
          cause: err,
          details: { cause: err instanceof Error ? `${err.name}: ${err.message}` : String(err) },
        });
  flowError.nodeId ??= nodeId;
  return flowError;
}

/** A FAILED validation: the first field error gives the answer's code and message, all are listed. */
export function validationError(fieldErrors: FieldError[], nodeId?: string): FlowError {
  const first = fieldErrors[0];
  return new FlowError("VALIDATION_FAILED", { message: first?.message, fieldErrors, nodeId });
}

/** A service the engine was not given (the ERP store in a browser preview, say). */
export function notAvailable(service: string): FlowError {
  return new FlowError("INTERNAL_ERROR", { message: `${service} is not available`, details: { service } });
}
