/**
 * How the CLI reports a failure: the code, message and exit code of the error table
 * (flows/app-errors.ts) for every known error, so `flowport … --json` says what the console and the
 * API say for the same cause. Anything else keeps its own code-like name and exits 1; the shell is the
 * operator's own, so its message is shown as it is.
 */
import { EXIT } from "@/flows/app-errors";
import { toAppError } from "@/server/errors/to-app-error";

export interface AppLikeError {
  code: string;
  message: string;
  exitCode: number;
  details?: unknown;
}

/** Turns anything thrown into the shape the CLI prints, and the exit code it ends with. */
export function describeError(error: unknown): AppLikeError {
  const app = toAppError(error);
  if (app) return { code: app.code, message: app.message, exitCode: app.exitCode, ...(Object.keys(app.details).length > 0 ? { details: app.details } : {}) };
  if (error && typeof error === "object") {
    const e = error as { code?: unknown; message?: unknown; details?: unknown; name?: unknown };
    const code = typeof e.code === "string" && /^[A-Z_]+$/.test(e.code) ? e.code : String(e.name ?? "ERROR").replace(/\W+/g, "_").toUpperCase();
    return { code, message: String(e.message ?? error), exitCode: EXIT.INTERNAL, details: e.details };
  }
  return { code: "ERROR", message: String(error), exitCode: EXIT.INTERNAL };
}
