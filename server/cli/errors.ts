export interface AppLikeError {
  code: string;
  message: string;
  exitCode?: number;
  details?: unknown;
}

/** Turns anything thrown into the shape the CLI prints. */
export function describeError(error: unknown): AppLikeError {
  if (error && typeof error === "object") {
    const e = error as { code?: unknown; message?: unknown; details?: unknown; name?: unknown };
    const code = typeof e.code === "string" && /^[A-Z_]+$/.test(e.code) ? e.code : String(e.name ?? "ERROR").replace(/\W+/g, "_").toUpperCase();
    return { code, message: String(e.message ?? error), details: e.details };
  }
  return { code: "ERROR", message: String(error) };
}
