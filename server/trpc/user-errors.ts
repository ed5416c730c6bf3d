/**
 * Domain errors → tRPC errors, in one place. The server modules throw FlowError (records, clients,
 * connections, flows) or UserInputError (users) with a safe message; a procedure wraps its call in
 * `userErrors` so the console shows that message with the right code instead of a 500. Anything
 * else is unexpected and stays an INTERNAL_SERVER_ERROR (logged, its message hidden).
 */
import { TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { UserInputError } from "@/server/auth/users";
import { FlowError, type FlowErrorCode } from "@/server/engine/errors";

const FLOW_CODES: Partial<Record<FlowErrorCode, TRPC_ERROR_CODE_KEY>> = {
  VALIDATION_FAILED: "BAD_REQUEST",
  WORKFLOW_RULE: "CONFLICT",
  NOT_FOUND: "NOT_FOUND",
  DUPLICATE_RECORD: "CONFLICT",
};

const USER_CODES: Record<UserInputError["code"], TRPC_ERROR_CODE_KEY> = {
  INVALID_EMAIL: "BAD_REQUEST",
  INVALID_ROLE: "BAD_REQUEST",
  WEAK_PASSWORD: "BAD_REQUEST",
  USER_EXISTS: "CONFLICT",
  USER_NOT_FOUND: "NOT_FOUND",
  LAST_ADMIN: "CONFLICT",
};

export function toTRPCError(error: unknown): unknown {
  if (error instanceof FlowError) {
    const code = FLOW_CODES[error.code];
    return code ? new TRPCError({ code, message: error.message, cause: error }) : error;
  }
  if (error instanceof UserInputError) return new TRPCError({ code: USER_CODES[error.code], message: error.message, cause: error });
  return error;
}

export async function userErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toTRPCError(error);
  }
}
