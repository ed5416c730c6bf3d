/**
 * The two error families that are not AppErrors — FlowError (the engine's, whose codes are rows of the
 * same table) and FlowFormatError (flows/, shared with the browser) — as AppErrors, in one place; and
 * any error as the tRPC error the console receives. Used by the tRPC middleware, the CLI and the
 * incoming route. Every other domain error extends AppError.
 */
import { TRPCError } from "@trpc/server";
import type { AppErrorCode } from "@/flows/app-errors";
import { FlowFormatError } from "@/flows/format";
import { FlowError } from "@/server/engine/errors";
import { AppError } from "./app-error";

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
  if (error instanceof FlowFormatError) return keep("INVALID_FLOW_FILE");
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
