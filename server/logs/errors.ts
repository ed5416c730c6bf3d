/**
 * A refused log or Failed Queue action, with the tRPC code it answers with: the operator sees the
 * message as it is, never a 500.
 */
export type LogActionErrorCode = "BAD_REQUEST" | "NOT_FOUND" | "CONFLICT" | "PRECONDITION_FAILED";

export class LogActionError extends Error {
  constructor(
    readonly code: LogActionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "LogActionError";
  }
}
