/**
 * The older domain errors as AppErrors, in one place (until each module throws AppError itself), and
 * any error as the tRPC error the console receives. Used by the tRPC middleware and the CLI.
 */
import { TRPCError } from "@trpc/server";
import type { AppErrorCode } from "@/flows/app-errors";
import { FlowFormatError } from "@/flows/format";
import { UserInputError } from "@/server/auth/users";
import { DraftRunError } from "@/server/drafts/errors";
import { FlowError } from "@/server/engine/errors";
import { DesignerTestingError } from "@/server/flows/designer-testing";
import { SlugTakenError } from "@/server/flows/create-flow";
import { DraftConflictError } from "@/server/flows/draft";
import { LogActionError, type LogActionErrorCode } from "@/server/logs/errors";
import { InvalidCursorError } from "@/server/logs/query";
import { AppError } from "./app-error";

const LOG_ACTION_CODES: Record<LogActionErrorCode, AppErrorCode> = {
  BAD_REQUEST: "INVALID_REQUEST",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
};

const AUTH_REFUSALS = new Set<AppErrorCode>(["FORBIDDEN_FLOW", "IP_NOT_ALLOWED", "RATE_LIMITED"]);

/** The inbound checks' AUTH_FAILED says which refusal it is in details.reason: 403 and 429 are AUTH_FAILED too. */
export function authRefusalCode(error: FlowError): AppErrorCode {
  const reason = error.details.reason;
  return typeof reason === "string" && AUTH_REFUSALS.has(reason as AppErrorCode) ? (reason as AppErrorCode) : "AUTH_FAILED";
}

/** A known failure as an AppError with its own message kept; undefined for anything unexpected. */
export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const keep = (code: AppErrorCode, details?: Record<string, unknown>) =>
    new AppError(code, { message: (error as Error).message, cause: error, details });
  if (error instanceof FlowError) {
    if (error.code === "AUTH_FAILED") return keep(authRefusalCode(error), error.details);
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
