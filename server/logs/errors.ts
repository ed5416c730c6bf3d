/**
 * A refused log or Failed Queue action: the operator sees the message as it is, never a 500. Callers
 * name the kind of refusal; its code, tRPC code and exit code are the error table's (flows/app-errors.ts).
 */
import type { AppErrorCode } from "@/flows/app-errors";
import { AppError } from "@/server/errors/app-error";

export type LogActionErrorCode = "BAD_REQUEST" | "NOT_FOUND" | "CONFLICT" | "PRECONDITION_FAILED";

const APP_CODES: Record<LogActionErrorCode, AppErrorCode> = {
  BAD_REQUEST: "INVALID_REQUEST",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
};

export class LogActionError extends AppError {
  constructor(
    readonly kind: LogActionErrorCode,
    message: string,
  ) {
    super(APP_CODES[kind], { message });
    this.name = "LogActionError";
  }
}
