/**
 * One application error: a code from the table in flows/app-errors.ts (HTTP status, tRPC code, CLI
 * exit code, default message), a message safe to show, and details that stay in logs. The tRPC
 * middleware (server/trpc/init.ts), the CLI (server/cli/output.ts) and the incoming route read the
 * table through it. Domain errors extend it (UserInputError, DraftRunError, LogActionError,
 * DraftConflictError…); the engine's FlowError and flows/' FlowFormatError are mapped to it in
 * ./to-app-error.ts. This file imports no domain module, so any module can extend it without a cycle.
 */
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { APP_ERRORS, appErrorMessage, type AppErrorCode, type AppTrpcCode } from "@/flows/app-errors";

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
