/**
 * JSONata syntax checking with line and column, shared by the designer (in the browser), graph
 * validation and the engine's compiler, so an error reads the same everywhere; and the one way an
 * expression is made ready to evaluate (`createExpression`), shared by the engine and the
 * designer's live preview, so both match regular expressions and hold the same limits.
 */
import jsonata from "jsonata";
import { registerBudgetedFunctions } from "./functions/budgets";
import { MAX_LIST_ITEMS } from "./functions/limits";
import { compileRegex, JsonataRegExp, type SafeRegex } from "./safe-regex";

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

/**
 * Compiles a regular expression written in a flow for the linear-time engine (flows/safe-regex.ts);
 * never throws. Refused: invalid JavaScript syntax, and what the engine cannot run (backreferences,
 * lookahead, lookbehind…), each with its reason.
 */
export function checkRegex(pattern: string, flags = ""): { ok: true; regex: SafeRegex } | { ok: false; message: string } {
  const compiled = compileRegex(pattern, flags);
  return compiled.ok ? compiled : { ok: false, message: compiled.message };
}

interface RegexNode {
  type: "regex";
  value: RegExp;
  position?: number;
}

/**
 * The regex literals of a parsed expression (`/…/i` in `$match(x, /…/i)`), found in its AST, not by
 * scanning the text (a "/" inside a string or a division is no regex).
 */
export function regexLiterals(expression: jsonata.Expression): RegexNode[] {
  const found: RegexNode[] = [];
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== "object" || node instanceof RegExp || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    const n = node as { type?: unknown; value?: unknown };
    if (n.type === "regex" && n.value instanceof RegExp) found.push(n as RegexNode);
    for (const key of Object.keys(node)) visit((node as Record<string, unknown>)[key]);
  };
  visit(expression.ast());
  return found;
}

export interface ExpressionRegexProblem {
  /** The literal as written, e.g. /(a)\1/i. */
  literal: string;
  message: string;
  offset: number;
  line: number;
  column: number;
}

/** Regex literals in the expression that the engine cannot run, each located in the text. */
export function checkExpressionRegexes(text: string, expression: jsonata.Expression): ExpressionRegexProblem[] {
  const problems: ExpressionRegexProblem[] = [];
  for (const node of regexLiterals(expression)) {
    const flags = node.value.flags.replace("g", "");
    const result = checkRegex(node.value.source, flags);
    if (result.ok) continue;
    const literal = `/${node.value.source}/${flags}`;
    // jsonata records the position just after the literal (and its flags).
    const where = locateError(text, typeof node.position === "number" ? node.position - literal.length : 0, undefined);
    problems.push({ literal, message: result.message, ...where });
  }
  return problems;
}

/**
 * A compiled expression ready to evaluate, the same for the engine and the preview: regex literals
 * matched by the linear-time engine, lists capped at MAX_LIST_ITEMS (jsonata's `sequence` option:
 * ranges, path results, appends), and the built-ins that can run long in one step replaced by
 * budgeted ones (flows/functions/budgets.ts). `carried`: bindings `$eval`'s text always gets from
 * where it is called (the engine's execution scope). Throws jsonata's syntax errors.
 */
export function createExpression(
  text: string,
  options: { timeout?: number; stack?: number; carried?: readonly string[] } = {},
): jsonata.Expression {
  const { carried, ...limits } = options;
  const jsonataOptions = { ...limits, sequence: MAX_LIST_ITEMS, RegexEngine: JsonataRegExp as unknown as RegExpConstructor };
  const expr = jsonata(text, jsonataOptions);
  registerBudgetedFunctions(expr, jsonataOptions, carried ? { carried } : {});
  return expr;
}
