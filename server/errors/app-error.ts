/**
 * One application error: a code from the table in flows/app-errors.ts (HTTP status, tRPC code, CLI
 * exit code, default message), a message safe to show, and details that stay in logs. The tRPC
 * middleware (server/trpc/init.ts), the CLI (server/cli/output.ts) and the incoming route read the
 * table through it. The older domain errors (FlowError, UserInputError, DraftRunError…) still exist;
 * toAppError maps each to its code here, in one place, until they are all AppErrors.
 */
import { TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { APP_ERRORS, appErrorMessage, type AppErrorCode, type AppTrpcCode } from "@/flows/app-errors";
import { FlowFormatError } from "@/flows/format";
import { UserInputError } from "@/server/auth/users";
import { DraftRunError } from "@/server/drafts/errors";
import { FlowError } from "@/server/engine/errors";
import { DesignerTestingError } from "@/server/flows/designer-testing";
import { SlugTakenError } from "@/server/flows/create-flow";
import { DraftConflictError } from "@/server/flows/draft";
import { LogActionError, type LogActionErrorCode } from "@/server/logs/errors";
import { InvalidCursorError } from "@/server/logs/query";

// The table's tRPC codes must be ones tRPC knows.
const _trpcCodesAreKnown: AppTrpcCode extends TRPC_ERROR_CODE_KEY ? true : never = true;
void _trpcCodesAreKnown;

export interface AppErrorOptions {
  /** The safe message; the table's default (with `params` filled in) when omitted. */
  message?: string;
  params?: Record<string, string | number>;
  /** For logs and traces, never for the caller. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: AppErrorCode, options: AppErrorOptions = {}) {
    super(options.message ?? appErrorMessage(code, options.params), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.details = options.details ?? {};
  }

  get httpStatus(): number {
    return APP_ERRORS[this.code].httpStatus;
  }

  get trpcCode(): AppTrpcCode {
    return APP_ERRORS[this.code].trpcCode;
  }

  get exitCode(): number {
    return APP_ERRORS[this.code].exitCode;
  }
}

const LOG_ACTION_CODES: Record<LogActionErrorCode, AppErrorCode> = {
  BAD_REQUEST: "INVALID_REQUEST",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
};

/** A known failure as an AppError with its own message kept; undefined for anything unexpected. */
export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const keep = (code: AppErrorCode, details?: Record<string, unknown>) =>
    new AppError(code, { message: (error as Error).message, cause: error, details });
  if (error instanceof FlowError) {
    // The incoming auth checks say which refusal it is in details.reason (403 and 429 are AUTH_FAILED too).
    const reason = error.details.reason;
    if (error.code === "AUTH_FAILED" && (reason === "FORBIDDEN_FLOW" || reason === "IP_NOT_ALLOWED" || reason === "RATE_LIMITED")) return keep(reason, error.details);
    return error.code === "INTERNAL_ERROR" ? undefined : keep(error.code, error.details);
  }
  if (error instanceof UserInputError) return keep(error.code);
  if (error instanceof DraftRunError) return keep(error.code);
  if (error instanceof SlugTakenError) return keep("SLUG_TAKEN");
  if (error instanceof DraftConflictError) return keep("DRAFT_CONFLICT");
  if (error instanceof FlowFormatError) return keep("INVALID_FLOW_FILE");
  if (error instanceof InvalidCursorError) return keep("INVALID_CURSOR");
  if (error instanceof LogActionError) return keep(LOG_ACTION_CODES[error.code]);
  if (error instanceof DesignerTestingError) return keep(error.kind === "NOT_FOUND" ? "NOT_FOUND" : "INVALID_REQUEST");
  return undefined;
}

/**
 * Anything a procedure threw, as the tRPC error the console receives: a known failure with the
 * table's code and its own message (the AppError as cause, so the formatter can add `appCode`);
 * a TRPCError as it is; anything else an INTERNAL_SERVER_ERROR whose message the formatter hides.
 */
export function toTRPCError(error: unknown): TRPCError {
  const app = toAppError(error instanceof TRPCError && error.code === "INTERNAL_SERVER_ERROR" && error.cause ? error.cause : error);
  if (app) return new TRPCError({ code: app.trpcCode, message: app.message, cause: app });
  if (error instanceof TRPCError) return error;
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: error });
}
