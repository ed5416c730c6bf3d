/**
 * JSONata's built-in functions, with the limits of ./limits.ts checked before the expensive work.
 * Registered on every expression (flows/expression.ts `createExpression`), where `registerFunction`
 * shadows the built-in of the same name (tested); jsonata's own internal calls (the `&` operator's
 * string conversion, order-by's sort) keep using its originals.
 *
 * Only jsonata's public API (server/engine/jsonata-public-api.test.ts fails on its internals).
 * Three kinds:
 *  - checked, then jsonata's own, called through a one-call expression over bound arguments
 *    (`callBuiltin`, which server/engine/functions uses for $now's pictures too): $string,
 *    $replace, $split, $match, $contains with a function, the encoding functions ($base64encode…),
 *    the picture functions; $join, $trim, $uppercase, $lowercase, $substringBefore/After and
 *    $contains with a text or a regex are copies of jsonata's few lines (rewritten-builtins.ts), as
 *    a public evaluation per call would cost more than the function; $eval compiles its text as an
 *    expression of its own with the caller's options, remaining time and names (`evaluateText`);
 *  - rewritten, because jsonata's implementation costs more than linear time or is much slower
 *    than it needs to be, with results identical to jsonata's (budgets.test.ts compares them):
 *    $pad, $length and $substring (jsonata splits the whole text into an array of code points:
 *    ~0.1 s per million characters), $sort without a comparator
 *    (jsonata's merge sort copies the array at every comparison: 30,000 numbers took 1.6 s and
 *    100,000 ran the process out of memory), $distinct (compares each item with every kept one:
 *    1,000,000 strings took 4 s), $spread of an array (appends by copying: 20,000 objects took
 *    1.3 s), $zip (0.7 s for 1,000,000 pairs), $max and $min (`Math.max.apply` overflows the
 *    stack above ~120,000 numbers);
 *  - $toMillis with a picture: jsonata builds a backtracking RegExp from the picture, which an
 *    ambiguous picture (`[FNn][FNn]…`) turns into seconds per call; for that call it gets the
 *    linear-time engine instead (see `withLinearRegExp`).
 * Higher-order functions ($map, $filter, $reduce, $single, $each, $sift) need no wrapper: each item
 * is an evaluation step under the time box, and their results are sequences, which jsonata's
 * `sequence` option caps at MAX_LIST_ITEMS.
 */
import jsonata from "jsonata";
import { existenceOnly, JsonataRegExp } from "@/flows/safe-regex";
import {
  MAX_EVAL_TEXT_LENGTH,
  MAX_LIST_ITEMS,
  MAX_TEXT_LENGTH,
  wasGiven,
  wouldProduce,
} from "./limits";
import { distinct, extreme, join, pad, sortPlain, spread, substring, substringAfter, substringBefore, trim, zip } from "./rewritten-builtins";
import { checkListResult, checkPicture, checkText, checkTextResult, codePointLength, isJsonataFunction, jsonLengthExceeds, whenSettled } from "./sizes";

/** The built-ins that wrappers hand over to, called through jsonata's public API (`callBuiltin`). */
export type Delegated =
  | "string" | "replace" | "split" | "match" | "contains" | "base64encode" | "base64decode" | "encodeUrlComponent"
  | "encodeUrl" | "decodeUrlComponent" | "decodeUrl" | "formatNumber" | "formatInteger" | "parseInteger" | "fromMillis"
  | "toMillis" | "sort";

/** One expression per built-in and argument count: `$name($a0, $a1…)`, compiled once. */
const calls = new Map<string, jsonata.Expression>();

/**
 * Calls jsonata's own built-in `$name` with `args`, through its public API only: a one-call
 * expression (`$string($a0, $a1)`) compiled once with no function of ours registered, evaluated
 * with the arguments bound. Trailing undefined arguments are left out, as a direct call would get
 * them. The arguments were already checked by the wrapper's signature; a function argument (a
 * comparator, a regex) keeps its own closure, and with it the calling evaluation's time box.
 */
export function callBuiltin(name: Delegated, args: readonly unknown[]): Promise<unknown> {
  let count = args.length;
  while (count > 0 && args[count - 1] === undefined) count--;
  const key = `${name}/${count}`;
  let expr = calls.get(key);
  if (expr === undefined) {
    const params = Array.from({ length: count }, (_, i) => `$a${i}`).join(", ");
    expr = jsonata(`$${name}(${params})`, { sequence: MAX_LIST_ITEMS, RegexEngine: JsonataRegExp as unknown as RegExpConstructor });
    calls.set(key, expr);
  }
  const bindings: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) bindings[`a${i}`] = args[i];
  return expr.evaluate(undefined, bindings);
}

function delegate(name: Delegated, args: unknown[]): Promise<unknown> {
  return callBuiltin(name, args);
}

/**
 * jsonata's $contains. A regex (jsonata's matcher, a plain function) only has to say whether it
 * matches: the search it starts at once is told so (`existenceOnly`), with no need to locate the
 * match and its groups. Any other function goes to jsonata's own.
 */
function contains(str: string | undefined, token: unknown): unknown {
  if (str === undefined || token === undefined) return undefined;
  if (typeof token === "string") return str.includes(token);
  if (typeof token !== "function") return delegate("contains", [str, token]);
  const found = existenceOnly(() => (token as (text: string) => unknown)(str));
  return whenSettled(found, (match) => {
    const m = match as { start?: unknown; end?: unknown; groups?: unknown; next?: unknown } | undefined;
    if (m && !(typeof m.start === "number" || Array.isArray(m.groups) || typeof m.next === "function")) {
      throw { code: "T1010", stack: new Error().stack };
    }
    return m !== undefined && m !== null;
  });
}

// ---------------------------------------------------------------------------------------------
// $replace

interface MatchResult {
  match: string;
  next(): unknown;
}
/** A regex as a function argument: jsonata wraps its matcher in an async function. */
type Matcher = (text: string) => Promise<MatchResult | undefined>;

/**
 * The length $replace's result would have (replacement references such as $1 counted as written),
 * from the matches counted up to `limit`, stopping as soon as it passes the limit.
 */
async function replaceEstimate(str: string, pattern: string | Matcher, replacement: string, limit: number | undefined): Promise<number> {
  let size = str.length;
  let count = 0;
  if (typeof pattern === "string") {
    let index = str.indexOf(pattern);
    while (index !== -1 && (limit === undefined || count < limit)) {
      size += replacement.length - pattern.length;
      count++;
      if (size > MAX_TEXT_LENGTH) return size;
      index = str.indexOf(pattern, index + pattern.length);
    }
    return size;
  }
  // A regex: its own closure finds the matches (linear, within the regex's time budget).
  let found = (await pattern(str)) as MatchResult | undefined;
  while (found !== undefined && (limit === undefined || count < limit)) {
    size += replacement.length - found.match.length;
    count++;
    if (size > MAX_TEXT_LENGTH) return size;
    found = (await found.next()) as MatchResult | undefined;
  }
  return size;
}

function replace(this: jsonata.Focus, str: string | undefined, pattern: unknown, replacement: unknown, limit?: number): unknown {
  if (str === undefined) return undefined;
  checkText("replace", str);
  const finish = () => whenSettled(delegate("replace", [str, pattern, replacement, limit]), (result) => checkTextResult("replace", result));
  if (typeof replacement !== "string" || pattern === "" || (typeof limit === "number" && limit < 0)) return finish();
  // Each match adds the replacement (and costs a scan of it): bound the result before making it,
  // counting the matches only when a bound from the lengths alone is not enough.
  const n = str.length;
  const r = replacement.length;
  let bound: number | undefined;
  if (typeof pattern === "string") bound = n + Math.floor(n / pattern.length) * Math.max(0, r - pattern.length);
  else if (typeof pattern === "function") bound = n + (n + 1) * r;
  if (bound === undefined || bound <= MAX_TEXT_LENGTH) return finish();
  return replaceEstimate(str, pattern as string | Matcher, replacement, limit).then((estimate) => {
    if (estimate > MAX_TEXT_LENGTH) throw wouldProduce("replace", estimate, MAX_TEXT_LENGTH, "characters", true);
    return finish();
  });
}

// ---------------------------------------------------------------------------------------------
// $toMillis with a picture

const NativeRegExp = RegExp;
let linearCalls = 0;

/**
 * The global `RegExp` while a `$toMillis` with a picture runs: the shape jsonata's parseDateTime
 * builds (`new RegExp('^(…)(…)…$', 'i')` from the picture, in a call no option reaches) gets the
 * linear-time engine, where an ambiguous picture such as ten `[FNn]` against 40 letters backtracked
 * for 15 s; anything else gets a native RegExp, as does a pattern the linear engine cannot run.
 */
function PictureRegExp(pattern: string | RegExp, flags?: string): RegExp {
  if (typeof pattern === "string" && flags === "i" && pattern.startsWith("^(") && pattern.endsWith(")$")) {
    try {
      return new JsonataRegExp(pattern, flags) as unknown as RegExp;
    } catch {
      // Not for the linear engine: native, as jsonata would.
    }
  }
  return new NativeRegExp(pattern, flags);
}

/**
 * Runs `fn` (jsonata's $toMillis, called through the public API) with the global `RegExp` swapped
 * for PictureRegExp, put back when the last such call settles. The call is asynchronous (public
 * evaluation awaits between steps), so other code may run meanwhile: what it constructs with
 * `new RegExp` is native unless it is a case-insensitive `^(…)$` pattern, which the linear engine
 * matches the same way (`exec`, `test`).
 */
async function withLinearRegExp<T>(fn: () => Promise<T>): Promise<T> {
  const global = globalThis as { RegExp: RegExpConstructor };
  if (linearCalls++ === 0) global.RegExp = PictureRegExp as unknown as RegExpConstructor;
  try {
    return await fn();
  } finally {
    if (--linearCalls === 0) global.RegExp = NativeRegExp;
  }
}

// ---------------------------------------------------------------------------------------------
// $eval

/**
 * `$eval(text, focus?)` on the public API: `text` compiled as its own expression with the same
 * options (and the budgeted built-ins), the calling evaluation's remaining time as its time box
 * (`environment.timestamp` is when that evaluation began), and every `$name` the text mentions
 * bound to what it means where `$eval` was called (variables, Flowport's functions, the execution
 * scope). Errors arrive wrapped as jsonata's own $eval wraps them (D3120 parsing, D3121 evaluating).
 */
async function evaluateText(focus: jsonata.Focus, options: BudgetOptions, extras: BudgetExtras, text: string, input: unknown): Promise<unknown> {
  let inner: jsonata.Expression;
  const remaining = options.timeout === undefined ? undefined : options.timeout - (Date.now() - (focus.environment.timestamp?.getTime() ?? Date.now()));
  try {
    inner = jsonata(text, { ...options, ...(remaining === undefined ? {} : { timeout: Math.max(1, remaining) }) });
  } catch (err) {
    throw { code: "D3120", value: (err as Error).message, message: `Syntax error in expression passed to function eval: ${(err as Error).message}`, error: err };
  }
  registerBudgetedFunctions(inner, options, extras);
  const bindings: Record<string, unknown> = {};
  for (const match of text.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const name = match[1]!;
    if (Object.hasOwn(bindings, name)) continue;
    const value: unknown = focus.environment.lookup(name);
    if (value !== undefined) bindings[name] = value;
  }
  // The execution scope travels with the functions that read it ($lookup, $now, $millis).
  for (const name of extras.carried ?? []) {
    const value: unknown = focus.environment.lookup(name);
    if (value !== undefined) bindings[name] = value;
  }
  try {
    return await inner.evaluate(input, bindings);
  } catch (err) {
    const message = (err as { message?: unknown } | null)?.message;
    throw { code: "D3121", value: message, message: `Dynamic error evaluating the expression passed to function eval: ${String(message)}`, error: err };
  }
}

// ---------------------------------------------------------------------------------------------

/** The jsonata options an expression was compiled with (createExpression's), for `$eval`'s text. */
export type BudgetOptions = Pick<jsonata.JsonataOptions, "timeout" | "stack" | "sequence" | "RegexEngine">;

/** Names `$eval`'s text always gets from where it was called, mentioned or not (the engine's scope). */
export interface BudgetExtras {
  carried?: readonly string[];
}

/** Registers the budgeted built-ins on a compiled expression (before Flowport's own functions). */
export function registerBudgetedFunctions(expr: jsonata.Expression, options: BudgetOptions = {}, extras: BudgetExtras = {}): void {
  type Impl = (this: jsonata.Focus, ...args: never[]) => unknown;
  const register = (name: string, impl: Impl, signature: string) => expr.registerFunction(name, impl as never, signature);

  // Text producers.
  register("pad", (str: string | undefined, width: number, char?: string) => pad(str, width, char), "<s-ns?:s>");
  register(
    "string",
    function (this: jsonata.Focus, arg: unknown, prettify?: boolean) {
      if (arg !== null && typeof arg === "object" && !isJsonataFunction(arg) && jsonLengthExceeds(arg, prettify === true, MAX_TEXT_LENGTH)) {
        throw wouldProduce("string", MAX_TEXT_LENGTH, MAX_TEXT_LENGTH, "characters", true);
      }
      return delegate("string", [arg, prettify]);
    },
    "<x-b?:s>",
  );
  register(
    "join",
    function (this: jsonata.Focus, strs: string[] | undefined, separator?: string) {
      if (strs !== undefined) {
        let size = Math.max(0, strs.length - 1) * (separator ?? "").length;
        for (const s of strs) size += s.length;
        if (size > MAX_TEXT_LENGTH) throw wouldProduce("join", size, MAX_TEXT_LENGTH, "characters");
      }
      return join(strs, separator);
    },
    "<a<s>s?:s>",
  );
  register("replace", replace, "<s-(sf)(sf)n?:s>");

  // Text consumers: what they are given is bounded, so their linear work is.
  register(
    "split",
    function (this: jsonata.Focus, str: string | undefined, separator: unknown, limit?: number) {
      checkText("split", str);
      if (typeof str === "string" && separator === "" && Math.min(str.length, limit ?? Infinity) > MAX_LIST_ITEMS) {
        throw wouldProduce("split", Math.min(str.length, limit ?? Infinity), MAX_LIST_ITEMS, "items");
      }
      return whenSettled(delegate("split", [str, separator, limit]), (result) => checkListResult("split", result));
    },
    "<s-(sf)n?:a<s>>",
  );
  register(
    "match",
    function (this: jsonata.Focus, str: string | undefined, pattern: unknown, limit?: number) {
      checkText("match", str);
      return delegate("match", [str, pattern, limit]);
    },
    "<s-f<s:o>n?:a<o>>",
  );
  register("substring", (str: string | undefined, start: number, length?: number) => substring(str, start, length), "<s-nn?:s>");
  register(
    "length",
    (str: string | undefined) => {
      if (str === undefined) return undefined;
      checkText("length", str);
      return codePointLength(str);
    },
    "<s-:n>",
  );
  register(
    "contains",
    function (this: jsonata.Focus, str: string | undefined, token: unknown) {
      checkText("contains", str);
      return contains(str, token);
    },
    "<s-(sf):b>",
  );
  const copied: [string, (...args: never[]) => unknown, string][] = [
    ["substringBefore", substringBefore, "<s-s:s>"],
    ["substringAfter", substringAfter, "<s-s:s>"],
    ["uppercase", (str: string | undefined) => str?.toUpperCase(), "<s-:s>"],
    ["lowercase", (str: string | undefined) => str?.toLowerCase(), "<s-:s>"],
    ["trim", trim, "<s-:s>"],
  ];
  for (const [name, fn, signature] of copied) {
    register(
      name,
      (...args: never[]) => {
        checkText(name, args[0]);
        return fn(...args);
      },
      signature,
    );
  }
  const consumers: [Delegated, string][] = [
    ["base64encode", "<s-:s>"],
    ["base64decode", "<s-:s>"],
    ["encodeUrlComponent", "<s-:s>"],
    ["encodeUrl", "<s-:s>"],
    ["decodeUrlComponent", "<s-:s>"],
    ["decodeUrl", "<s-:s>"],
  ];
  for (const [name, signature] of consumers) {
    register(
      name,
      function (this: jsonata.Focus, ...args: unknown[]) {
        checkText(name, args[0]);
        return delegate(name, args);
      },
      signature,
    );
  }

  // Pictures.
  register(
    "formatNumber",
    function (this: jsonata.Focus, value: number | undefined, picture: string, options?: unknown) {
      checkPicture("formatNumber", picture);
      return delegate("formatNumber", [value, picture, options]);
    },
    "<n-so?:s>",
  );
  register(
    "formatInteger",
    function (this: jsonata.Focus, value: number | undefined, picture: string) {
      checkPicture("formatInteger", picture);
      return delegate("formatInteger", [value, picture]);
    },
    "<n-s:s>",
  );
  register(
    "parseInteger",
    function (this: jsonata.Focus, value: string | undefined, picture: string) {
      checkPicture("parseInteger", picture);
      checkText("parseInteger", value);
      return delegate("parseInteger", [value, picture]);
    },
    "<s-s:n>",
  );
  register(
    "fromMillis",
    function (this: jsonata.Focus, millis: number | undefined, picture?: string, timeZone?: string) {
      checkPicture("fromMillis", picture);
      return delegate("fromMillis", [millis, picture, timeZone]);
    },
    "<n-s?s?:s>",
  );
  register(
    "toMillis",
    function (this: jsonata.Focus, timestamp: string | undefined, picture?: string) {
      checkPicture("toMillis", picture);
      checkText("toMillis", timestamp);
      if (picture === undefined || timestamp === undefined) return delegate("toMillis", [timestamp, picture]);
      return withLinearRegExp(() => delegate("toMillis", [timestamp, picture]));
    },
    "<s-s?:n>",
  );

  // Lists.
  register(
    "sort",
    function (this: jsonata.Focus, arr: unknown[] | undefined, comparator?: unknown) {
      if (arr === undefined) return undefined;
      if (comparator === undefined) return sortPlain(arr);
      // With a comparator every comparison is an evaluation step, under the time box.
      return delegate("sort", [arr, comparator]);
    },
    "<af?:a>",
  );
  register("distinct", distinct as unknown as Impl, "<x:x>");
  register("spread", spread as unknown as Impl, "<x-:a<o>>");
  register("zip", zip, "<a+>");
  register("max", (args?: number[]) => extreme(args, Math.max), "<a<n>:n>");
  register("min", (args?: number[]) => extreme(args, Math.min), "<a<n>:n>");

  register(
    "eval",
    function (this: jsonata.Focus, text: string | undefined, focus?: unknown) {
      if (typeof text === "string" && text.length > MAX_EVAL_TEXT_LENGTH) {
        throw wasGiven("eval", text.length, MAX_EVAL_TEXT_LENGTH, "characters");
      }
      if (text === undefined) return undefined;
      return evaluateText(this, options, extras, text, focus === undefined ? this.input : focus);
    },
    "<sx?:x>",
  );
}
