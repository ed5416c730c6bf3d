/**
 * The one table of application error codes: for each code, the HTTP status the incoming API answers
 * with, the tRPC code the console receives, the CLI's exit code and the default message. The incoming
 * route, the tRPC error middleware, the CLI, the OpenAPI examples and the designer's previews all read
 * it, so the same cause answers the same way everywhere and an example cannot drift from the server.
 * Client-safe (the designer imports it): data only, no Node APIs, no secrets. Messages may name
 * `{placeholders}` that appErrorMessage fills in. The class that carries a code is server/errors/app-error.ts.
 */

/** The tRPC codes we answer with (a subset of @trpc/server's TRPC_ERROR_CODE_KEY; server/errors checks it). */
export type AppTrpcCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "METHOD_NOT_SUPPORTED"
  | "TIMEOUT"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "UNPROCESSABLE_CONTENT"
  | "TOO_MANY_REQUESTS"
  | "INTERNAL_SERVER_ERROR"
  | "BAD_GATEWAY"
  | "SERVICE_UNAVAILABLE";

/**
 * CLI exit codes by kind of failure, so a script can tell "fix your input" from "try again later".
 * 1 stays the catch-all (unexpected errors, and `flows test`/`flows validate` finding differences).
 */
export const EXIT = {
  INTERNAL: 1,
  INVALID_INPUT: 2,
  NOT_FOUND: 3,
  CONFLICT: 4,
  DENIED: 5,
  UPSTREAM: 6,
  RETRY_LATER: 7,
} as const;

export interface AppErrorSpec {
  httpStatus: number;
  trpcCode: AppTrpcCode;
  exitCode: (typeof EXIT)[keyof typeof EXIT];
  message: string;
}

const spec = (httpStatus: number, trpcCode: AppTrpcCode, exitCode: AppErrorSpec["exitCode"], message: string): AppErrorSpec => ({ httpStatus, trpcCode, exitCode, message });

export const APP_ERRORS = {
  // Input the caller can fix.
  VALIDATION_FAILED: spec(400, "BAD_REQUEST", EXIT.INVALID_INPUT, "Validation failed"),
  INVALID_REQUEST: spec(400, "BAD_REQUEST", EXIT.INVALID_INPUT, "The request is not valid"),
  INVALID_JSON: spec(400, "BAD_REQUEST", EXIT.INVALID_INPUT, "Request body is not valid JSON"),
  INVALID_IDEMPOTENCY_KEY: spec(400, "BAD_REQUEST", EXIT.INVALID_INPUT, "Idempotency-Key must be 1 to 255 visible ASCII characters"),
  INVALID_FLOW_FILE: spec(400, "BAD_REQUEST", EXIT.INVALID_INPUT, "The flow file is not valid"),
  INVALID_CURSOR: spec(400, "BAD_REQUEST", EXIT.INVALID_INPUT, "The page cursor is not valid; start again from the first page"),
  INVALID_EMAIL: spec(400, "BAD_REQUEST", EXIT.INVALID_INPUT, "Not an email address"),
  INVALID_ROLE: spec(400, "BAD_REQUEST", EXIT.INVALID_INPUT, "Not a role"),
  WEAK_PASSWORD: spec(400, "BAD_REQUEST", EXIT.INVALID_INPUT, "The password is too short"),
  PAYLOAD_TOO_LARGE: spec(413, "PAYLOAD_TOO_LARGE", EXIT.INVALID_INPUT, "Request body exceeds {kib} KiB"),
  UNSUPPORTED_MEDIA_TYPE: spec(415, "UNSUPPORTED_MEDIA_TYPE", EXIT.INVALID_INPUT, "Content-Type must be application/json"),
  METHOD_NOT_ALLOWED: spec(405, "METHOD_NOT_SUPPORTED", EXIT.INVALID_INPUT, "Use POST"),
  IDEMPOTENCY_KEY_REUSED: spec(422, "UNPROCESSABLE_CONTENT", EXIT.INVALID_INPUT, "This Idempotency-Key was already used with a different request body"),
  EXPRESSION_ERROR: spec(500, "UNPROCESSABLE_CONTENT", EXIT.INVALID_INPUT, "An expression failed"),
  EXPRESSION_LIMIT: spec(500, "UNPROCESSABLE_CONTENT", EXIT.INVALID_INPUT, "An expression went past a size limit"),
  // Who may do what.
  AUTH_FAILED: spec(401, "UNAUTHORIZED", EXIT.DENIED, "Authentication failed"),
  UNAUTHENTICATED: spec(401, "UNAUTHORIZED", EXIT.DENIED, "Sign in to continue."),
  PERMISSION_DENIED: spec(403, "FORBIDDEN", EXIT.DENIED, "Your role ({role}) does not allow this ({permission})."),
  FORBIDDEN_FLOW: spec(403, "FORBIDDEN", EXIT.DENIED, "This API client may not call {flowSlug}"),
  IP_NOT_ALLOWED: spec(403, "FORBIDDEN", EXIT.DENIED, "This API client may not call from this address"),
  // Something that is not there, or is in another state.
  NOT_FOUND: spec(404, "NOT_FOUND", EXIT.NOT_FOUND, "Not found"),
  ENDPOINT_NOT_FOUND: spec(404, "NOT_FOUND", EXIT.NOT_FOUND, "Mapping or endpoint not found"),
  USER_NOT_FOUND: spec(404, "NOT_FOUND", EXIT.NOT_FOUND, "No such user"),
  DUPLICATE_RECORD: spec(409, "CONFLICT", EXIT.CONFLICT, "Duplicate record"),
  WORKFLOW_RULE: spec(400, "CONFLICT", EXIT.CONFLICT, "The record breaks a workflow rule"),
  CONFLICT: spec(409, "CONFLICT", EXIT.CONFLICT, "The data changed meanwhile; reload and try again"),
  PRECONDITION_FAILED: spec(412, "PRECONDITION_FAILED", EXIT.CONFLICT, "Confirm the action again: what it applies to has changed"),
  SLUG_TAKEN: spec(409, "CONFLICT", EXIT.CONFLICT, 'A flow with slug "{slug}" already exists; choose another slug'),
  DRAFT_CONFLICT: spec(409, "CONFLICT", EXIT.CONFLICT, "Someone saved this draft since you opened it; reload to see their changes"),
  USER_EXISTS: spec(409, "CONFLICT", EXIT.CONFLICT, "A user with this email already exists"),
  LAST_ADMIN: spec(409, "CONFLICT", EXIT.CONFLICT, "The last admin cannot be removed or demoted"),
  IDEMPOTENCY_IN_PROGRESS: spec(409, "CONFLICT", EXIT.CONFLICT, "A request with this Idempotency-Key is still being processed"),
  // Try again later.
  RATE_LIMITED: spec(429, "TOO_MANY_REQUESTS", EXIT.RETRY_LATER, "Rate limit of {limit} calls per minute exceeded"),
  TOO_MANY_AUTH_FAILURES: spec(429, "TOO_MANY_REQUESTS", EXIT.RETRY_LATER, "Too many invalid credentials from this address or for this key; retry later"),
  CONSOLE_RATE_LIMITED: spec(429, "TOO_MANY_REQUESTS", EXIT.RETRY_LATER, "Too many requests from your account; wait {seconds} s and try again."),
  DRY_RUN_TIMEOUT: spec(408, "TIMEOUT", EXIT.RETRY_LATER, "The dry run did not finish in time and was stopped: check the flow's expressions and patterns"),
  DRY_RUN_BUSY: spec(429, "TOO_MANY_REQUESTS", EXIT.RETRY_LATER, "Too many dry runs are waiting for a free runner; try again in a few seconds"),
  EXPRESSION_TIMEOUT: spec(500, "TIMEOUT", EXIT.RETRY_LATER, "An expression took too long"),
  SERVICE_UNAVAILABLE: spec(503, "SERVICE_UNAVAILABLE", EXIT.RETRY_LATER, "The service is temporarily unavailable; retry shortly"),
  // Someone else's fault, or ours.
  EXTERNAL_ERROR: spec(502, "BAD_GATEWAY", EXIT.UPSTREAM, "The external system returned an error"),
  INTERNAL_ERROR: spec(500, "INTERNAL_SERVER_ERROR", EXIT.INTERNAL, "Internal server error"),
} as const satisfies Record<string, AppErrorSpec>;

export type AppErrorCode = keyof typeof APP_ERRORS;

export function isAppErrorCode(code: unknown): code is AppErrorCode {
  return typeof code === "string" && Object.hasOwn(APP_ERRORS, code);
}

/** The code's message with its `{placeholders}` filled in (a missing value leaves the placeholder). */
export function appErrorMessage(code: AppErrorCode, params: Record<string, string | number> = {}): string {
  return APP_ERRORS[code].message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
