/**
 * JSONata syntax checking with line and column, shared by the designer (in the browser), graph
 * validation and the engine's compiler, so an error reads the same everywhere.
 */
import jsonata from "jsonata";

export interface ExpressionSyntaxError {
  /** jsonata's error code, e.g. S0202. */
  code: string;
  message: string;
  /** 0-based offset into the expression text where the offending token starts. */
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, counted in UTF-16 code units like editors do. */
  column: number;
}

export type ExpressionCheck = { ok: true; expression: jsonata.Expression } | { ok: false; error: ExpressionSyntaxError };

interface JsonataErrorLike {
  code?: unknown;
  message?: unknown;
  position?: unknown;
  token?: unknown;
}

/**
 * jsonata reports `position` as the offset just after the token it choked on; step back over the
 * token so the column points at its first character (and at the end for "(end)").
 */
export function locateError(text: string, position: unknown, token: unknown): { offset: number; line: number; column: number } {
  let offset = typeof position === "number" && Number.isFinite(position) ? position : 0;
  if (typeof token === "string" && token !== "(end)" && offset >= token.length) offset -= token.length;
  offset = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

export function describeJsonataError(text: string, err: unknown): ExpressionSyntaxError {
  const e = (err ?? {}) as JsonataErrorLike;
  const where = locateError(text, e.position, e.token);
  const code = typeof e.code === "string" ? e.code : "S0000";
  const message = typeof e.message === "string" && e.message !== "" ? e.message : "invalid expression";
  return { code, message, ...where };
}

/** Parses a JSONata expression; never throws. */
export function checkExpression(text: string): ExpressionCheck {
  if (text.trim() === "") {
    return { ok: false, error: { code: "S0000", message: "expression is empty", offset: 0, line: 1, column: 1 } };
  }
  try {
    return { ok: true, expression: jsonata(text) };
  } catch (err) {
    return { ok: false, error: describeJsonataError(text, err) };
  }
}

/** Compiles a regular expression written in a flow; never throws. */
export function checkRegex(pattern: string, flags = ""): { ok: true; regex: RegExp } | { ok: false; message: string } {
  try {
    return { ok: true, regex: new RegExp(pattern, flags) };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}
