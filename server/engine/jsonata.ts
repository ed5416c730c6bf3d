/**
 * JSONata, safely. Each expression is compiled once (per flow version) and evaluated per message
 * with:
 *  - a wall-clock time box (default 250 ms) and a depth limit, enforced by jsonata 2's own
 *    per-evaluation guardrails (a synchronous check at every evaluation step);
 *  - limits that keep every single step short, since the time box is only checked between steps
 *    (flows/expression.ts `createExpression`): regex literals on the linear-time engine, lists
 *    capped, the built-ins that could run long in one call ($pad, $string, $join, $replace…)
 *    checking their sizes before working, and the result's size checked here; reaching one is
 *    EXPRESSION_LIMIT, naming the function and the limit. Together: an evaluation ends within
 *    the time box plus one bounded step (flows/functions/limits.ts);
 *  - the event loop held for one short slice at most: on the main thread the evaluation runs with
 *    jsonata's public `timeout` option set to `yieldEveryMs` (10 ms); one that outruns it is run
 *    again in an expression thread with the whole time box (expression-threads.ts), so a runaway
 *    expression burns its 250 ms there while the main thread serves other requests. Off the main
 *    thread (expression and draft threads) the time box applies directly. Only jsonata's public
 *    API is used (jsonata-public-api.test.ts fails on its internals);
 *  - Flowport's functions registered, and results turned into plain JSON values (jsonata returns
 *    arrays tagged as sequences);
 *  - a mapping of plain fields (`{ "A": a, "B": b.c }`, the mapper's usual output) evaluated
 *    directly, without JSONata's evaluator (direct-mapping.ts; same results, tested against it).
 * JSONata itself reaches no Node globals: there is no `$process` or `$require`, and property access
 * only sees own properties (no `constructor` walk). Tests pin that down.
 */
import { isMainThread } from "node:worker_threads";
import type jsonata from "jsonata";
import { createExpression, describeJsonataError } from "@/flows/expression";
import { ExpressionLimitError, formatCount, listLimitError, MAX_TEXT_LENGTH } from "@/flows/functions/limits";
import { isJsonataFunction } from "@/flows/functions/sizes";
import { directMappingOf } from "./direct-mapping";
import { FlowError, validationError } from "./errors";
import type { CompiledExpression, ExpressionLimits, ExpressionSite } from "@/flows/runtime/expression";
import { registerFlowportFunctions } from "./functions";
import { evaluateInThread } from "./expression-threads";
import { logger } from "@/server/log";
import { scopeOfToken, SCOPE_BINDING } from "./scope";

// The expression contract executors use lives with them in flows/runtime; the engine implements it.
export { jsonataBoolean, type CompiledExpression, type ExpressionLimits, type ExpressionSite } from "@/flows/runtime/expression";

export const DEFAULT_LIMITS: ExpressionLimits = { timeoutMs: 250, maxDepth: 1000, yieldEveryMs: 10 };

/** Characters (and values) a result may hold: past this it is no payload, and serializing it would stall. */
let resultSize = 0;

function countResult(amount: number): void {
  resultSize += amount;
  if (resultSize > MAX_TEXT_LENGTH) {
    throw new ExpressionLimitError(
      "result",
      MAX_TEXT_LENGTH,
      "characters",
      `The expression's result would be more than ${formatCount(MAX_TEXT_LENGTH)} characters; the limit is ${formatCount(MAX_TEXT_LENGTH)}`,
    );
  }
}

/**
 * Plain JSON values: sequences become arrays, functions and undefined vanish, non-finite numbers
 * become null. Throws ExpressionLimitError past MAX_TEXT_LENGTH characters of text (plus one per
 * value): string concatenation (`&`) builds long strings cheaply, and many references to one long
 * string cost nothing until they are written out.
 */
export function toPlainJson(value: unknown): unknown {
  resultSize = 0;
  return plain(value);
}

function plain(value: unknown): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case "string":
      countResult(value.length);
      return value;
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "object":
      break;
    default:
      return undefined;
  }
  // A JSONata function value (`function($x){...}` as a result) is code, not data.
  if (isJsonataFunction(value)) return undefined;
  if (Array.isArray(value)) {
    countResult(value.length);
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = plain(value[i]);
      out[i] = item === undefined ? null : item;
    }
    return out;
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return plain(toJSON.call(value));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value as object)) {
    const item = plain((value as Record<string, unknown>)[key]);
    if (item === undefined) continue;
    countResult(key.length + 1);
    // A "__proto__" key from data must stay data, not become the object's prototype.
    if (key === "__proto__") Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
    else out[key] = item;
  }
  return out;
}

function where(site: ExpressionSite): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  if (site.path) details.path = site.path;
  return details;
}

/**
 * jsonata errors raised by the values an expression meets: an argument not matching a function's
 * signature (T0410, T0412), arithmetic or range operands that are not numbers (T2001-T2004),
 * comparing mismatched types (T2007, T2008).
 */
const DATA_TYPE_ERRORS = new Set(["T0410", "T0412", "T2001", "T2002", "T2003", "T2004", "T2007", "T2008"]);

/** jsonata's guardrail codes: D1012 evaluation timeout, D1011 stack (depth) exceeded. */
const GUARDRAIL_CODES: Record<string, "timeout" | "depth"> = { D1012: "timeout", D1011: "depth" };

/** `$eval` wraps what went wrong inside it (D3120 parsing, D3121 evaluating): the inner error decides. */
function innermost(err: unknown): unknown {
  let current = err;
  for (let i = 0; i < 10; i++) {
    const e = current as { code?: unknown; error?: unknown } | null;
    if ((e?.code === "D3120" || e?.code === "D3121") && e.error !== undefined) current = e.error;
    else break;
  }
  return current;
}

function limitError(err: ExpressionLimitError, site: ExpressionSite): FlowError {
  return new FlowError("EXPRESSION_LIMIT", {
    message: err.message,
    nodeId: site.nodeId,
    details: { ...where(site), subject: err.subject, limit: err.limit, unit: err.unit },
  });
}

function evaluationError(err: unknown, text: string, site: ExpressionSite, limits: ExpressionLimits): FlowError {
  if (err instanceof FlowError) return err;
  const inner = innermost(err);
  if (inner instanceof ExpressionLimitError) return limitError(inner, site);
  const list = listLimitError(inner);
  if (list) return limitError(list, site);
  const innerCode = String((inner as { code?: unknown } | null)?.code);
  if (inner instanceof RangeError && /Invalid (string|array) length/.test(inner.message)) {
    // A string or array past what JavaScript can hold, built cheaply (by `&`, say) and refused by V8.
    return limitError(
      new ExpressionLimitError("result", MAX_TEXT_LENGTH, "characters", `The expression built a value larger than JavaScript can hold; the limit is ${formatCount(MAX_TEXT_LENGTH)} characters`),
      site,
    );
  }
  const guardrail = GUARDRAIL_CODES[innerCode];
  if (guardrail) {
    const message =
      guardrail === "timeout"
        ? `Expression timed out after ${limits.timeoutMs} ms: check for an infinite loop`
        : `Expression exceeded the maximum depth of ${limits.maxDepth}: check for runaway recursion`;
    return new FlowError("EXPRESSION_TIMEOUT", {
      message,
      nodeId: site.nodeId,
      details: { ...where(site), reason: guardrail, limit: guardrail === "timeout" ? limits.timeoutMs : limits.maxDepth },
    });
  }
  if (inner instanceof RangeError) {
    // A JS stack overflow inside jsonata: the same runaway recursion, caught by the engine.
    return new FlowError("EXPRESSION_TIMEOUT", {
      message: `Expression exceeded the maximum depth of ${limits.maxDepth}: check for runaway recursion`,
      nodeId: site.nodeId,
      details: { ...where(site), reason: "depth", limit: limits.maxDepth },
    });
  }
  const described = describeJsonataError(text, err);
  // A function or operator handed a value of the wrong type by the data (a number where the
  // mapping expects text, say) is the data's fault: a 400 that names it, not a 500.
  if (DATA_TYPE_ERRORS.has(String(described.code))) {
    return validationError(
      [{ field: "(body)", rule: "type", code: "INVALID_PAYLOAD", message: `The data does not fit the flow's expression: ${described.message}` }],
      site.nodeId,
    );
  }
  return new FlowError("EXPRESSION_ERROR", {
    message: `Expression failed: ${described.message}`,
    nodeId: site.nodeId,
    details: { ...where(site), jsonataCode: described.code, line: described.line, column: described.column },
    cause: err,
  });
}

/** Functions that read the execution scope, so their callers need `$__flowport` bound. */
const SCOPED_FUNCTIONS = new Set(["lookup", "now", "millis"]);

/**
 * The variables an expression can read, from its text. Binding a variable costs jsonata a frame
 * write per evaluation, and most mappings read none. Over-inclusion (a `$name` inside a string) is
 * harmless; `$eval` can reach any name, so it gets them all.
 */
export function referencedVariables(text: string): readonly string[] | "all" {
  const names = new Set<string>();
  for (const match of text.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const name = match[1]!;
    if (name === "eval") return "all";
    names.add(SCOPED_FUNCTIONS.has(name) ? SCOPE_BINDING : name);
  }
  return [...names];
}

function pick(bindings: Record<string, unknown>, variables: readonly string[] | "all"): Record<string, unknown> | undefined {
  if (variables === "all") return bindings;
  if (variables.length === 0) return undefined;
  const picked: Record<string, unknown> = {};
  for (const name of variables) if (Object.hasOwn(bindings, name)) picked[name] = bindings[name];
  return picked;
}

/** After an evaluation that is long in a thread too, how many of the next go straight to one. */
const STRAIGHT_TO_THREAD = 7;

/** jsonata's code for the error an evaluation ended with, looking inside `$eval`'s wrapping. */
function innermostCode(err: unknown): string {
  return String((innermost(err) as { code?: unknown } | null)?.code);
}

/** Compiles `text` with Flowport's functions; a syntax error throws FlowError EXPRESSION_ERROR with line and column. */
function compileWith(text: string, site: ExpressionSite, limits: ExpressionLimits, timeoutMs: number): jsonata.Expression {
  let expr: jsonata.Expression;
  try {
    expr = createExpression(text, { timeout: timeoutMs, stack: limits.maxDepth, carried: [SCOPE_BINDING] });
  } catch (err) {
    const described = describeJsonataError(text, err);
    throw new FlowError("EXPRESSION_ERROR", {
      message: `Invalid expression: ${described.message} (line ${described.line}, column ${described.column})`,
      nodeId: site.nodeId,
      details: { ...where(site), jsonataCode: described.code, line: described.line, column: described.column },
    });
  }
  registerFlowportFunctions(expr);
  return expr;
}

/**
 * The picked bindings as data for a thread: the execution scope's token becomes the scope itself
 * (its clock and lookups cross separately).
 */
function threadBindings(bindings: Record<string, unknown> | undefined): { data?: Record<string, unknown>; scope?: ReturnType<typeof scopeOfToken> } {
  if (bindings === undefined || !Object.hasOwn(bindings, SCOPE_BINDING)) return { data: bindings };
  const { [SCOPE_BINDING]: token, ...data } = bindings;
  return { data, scope: scopeOfToken(token) };
}

/** Compiles an expression once; a syntax error throws FlowError EXPRESSION_ERROR with line and column. */
export function compileExpression(text: string, site: ExpressionSite = {}, limits: ExpressionLimits = DEFAULT_LIMITS): CompiledExpression {
  // On the main thread, a slice of the time box; the rest, if needed, in a thread.
  const sliced = isMainThread && limits.yieldEveryMs < limits.timeoutMs;
  const expr = compileWith(text, site, limits, sliced ? limits.yieldEveryMs : limits.timeoutMs);
  /** The whole time box on this thread: only for bindings that cannot cross to a thread. */
  let whole: jsonata.Expression | undefined;
  /**
   * Evaluations left that go straight to a thread: set when one ran past the slice in the thread
   * too (a genuinely long expression, not one descheduled on a loaded machine), so the next ones
   * do not spend their slice on the main thread first; every STRAIGHT_TO_THREAD-th tries it again.
   */
  let straight = 0;
  const variables = referencedVariables(text);
  // A mapping of plain fields skips JSONata's evaluator (same answer, a fraction of the time).
  const direct = directMappingOf(expr.ast());
  const evaluateWhole = async (input: unknown, picked: Record<string, unknown> | undefined, overran: boolean): Promise<unknown> => {
    const { data, scope } = threadBindings(picked);
    try {
      return await evaluateInThread({ text, site, limits, input, ...(data === undefined ? {} : { bindings: data }) }, scope, (ms) => {
        if (ms <= limits.yieldEveryMs) straight = 0;
        else if (overran) straight = STRAIGHT_TO_THREAD;
      });
    } catch (err) {
      if (!(err instanceof Error && err.name === "DataCloneError")) throw err;
      logger().warn({ nodeId: site.nodeId }, "an expression's bindings are not plain data: evaluated on the main thread with its whole time box");
      whole ??= compileWith(text, site, limits, limits.timeoutMs);
      try {
        return toPlainJson(await whole.evaluate(input, picked));
      } catch (inner) {
        throw evaluationError(inner, text, site, limits);
      }
    }
  };
  return {
    text,
    variables,
    async evaluate(input, bindings) {
      if (direct) {
        const mapped = direct(input);
        if (mapped !== undefined) {
          try {
            return toPlainJson(mapped);
          } catch (err) {
            throw evaluationError(err, text, site, limits);
          }
        }
      }
      const picked = bindings === undefined ? undefined : pick(bindings, variables);
      if (straight > 0) {
        straight--;
        return evaluateWhole(input, picked, false);
      }
      try {
        return toPlainJson(await expr.evaluate(input, picked));
      } catch (err) {
        if (sliced && innermostCode(err) === "D1012") return evaluateWhole(input, picked, true);
        throw evaluationError(err, text, site, limits);
      }
    },
  };
}
