/**
 * JSONata's built-in functions, with the limits of ./limits.ts checked before the expensive work.
 * Registered on every expression (flows/expression.ts `createExpression`), where `registerFunction`
 * shadows the built-in of the same name (tested); jsonata's own internal calls (the `&` operator's
 * string conversion, order-by's sort) keep using its originals.
 *
 * Three kinds:
 *  - checked, then jsonata's own implementation (the function value `$name` evaluates to, called
 *    through its `implementation` as server/engine/functions calls $fromMillis): $string, $join,
 *    $replace, $split, $match, $contains (asking a regex only whether it matches), the text
 *    functions ($uppercase, $base64encode…), the picture functions, $eval;
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
import { distinct, extreme, pad, sortPlain, spread, substring, zip } from "./rewritten-builtins";
import { checkListResult, checkPicture, checkText, checkTextResult, codePointLength, isJsonataFunction, jsonLengthExceeds, whenSettled } from "./sizes";

interface JsonataFunction {
  _jsonata_function: true;
  implementation: (this: jsonata.Focus, ...args: unknown[]) => unknown;
}

/** The built-ins that wrappers hand over to, read once from jsonata itself. */
const DELEGATED = [
  "string", "join", "replace", "split", "match", "contains", "substringBefore", "substringAfter",
  "uppercase", "lowercase", "trim", "base64encode", "base64decode", "encodeUrlComponent", "encodeUrl",
  "decodeUrlComponent", "decodeUrl", "formatNumber", "formatInteger", "parseInteger", "fromMillis", "toMillis",
  "sort", "eval",
] as const;
type Delegated = (typeof DELEGATED)[number];

let builtins: Record<Delegated, JsonataFunction> | undefined;
let loading: Promise<Record<Delegated, JsonataFunction>> | undefined;

/** `{"string": $string, …}` evaluated once: jsonata's function values, each with its implementation. */
function loadBuiltins(): Promise<Record<Delegated, JsonataFunction>> {
  loading ??= jsonata(`{${DELEGATED.map((name) => `"${name}": $${name}`).join(", ")}}`)
    .evaluate({})
    .then((found: Record<Delegated, JsonataFunction>) => (builtins = found));
  return loading;
}

/** Calls jsonata's own `name` with the wrapper's focus (synchronously once loaded, which is at once). */
function delegate(name: Delegated, focus: jsonata.Focus, args: unknown[]): unknown {
  if (builtins) return builtins[name].implementation.apply(focus, args);
  return loadBuiltins().then((found) => found[name].implementation.apply(focus, args));
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
  const finish = () => whenSettled(delegate("replace", this, [str, pattern, replacement, limit]), (result) => checkTextResult("replace", result));
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

/**
 * Runs `fn` with the global `RegExp` replaced by the linear-time engine, and puts it back before
 * returning. For jsonata's parseDateTime only: it builds `new RegExp('^(…)(…)…$', 'i')` from the
 * picture inside a synchronous call that no option reaches, and an ambiguous picture such as ten
 * `[FNn]` against 40 letters backtracked for 15 s. Nothing else can run meanwhile (the call is
 * synchronous and the swap is undone in `finally`); the engine itself never calls `RegExp`.
 */
function withLinearRegExp<T>(fn: () => T): T {
  const global = globalThis as { RegExp: RegExpConstructor };
  global.RegExp = JsonataRegExp as unknown as RegExpConstructor;
  try {
    return fn();
  } finally {
    global.RegExp = NativeRegExp;
  }
}

// ---------------------------------------------------------------------------------------------

/** Registers the budgeted built-ins on a compiled expression (before Flowport's own functions). */
export function registerBudgetedFunctions(expr: jsonata.Expression): void {
  void loadBuiltins();
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
      return delegate("string", this, [arg, prettify]);
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
      return delegate("join", this, [strs, separator]);
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
      return whenSettled(delegate("split", this, [str, separator, limit]), (result) => checkListResult("split", result));
    },
    "<s-(sf)n?:a<s>>",
  );
  register(
    "match",
    function (this: jsonata.Focus, str: string | undefined, pattern: unknown, limit?: number) {
      checkText("match", str);
      return delegate("match", this, [str, pattern, limit]);
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
      // A regex only has to say whether it matches: no need to locate the match and its groups.
      if (typeof token === "function") return existenceOnly(() => delegate("contains", this, [str, token]));
      return delegate("contains", this, [str, token]);
    },
    "<s-(sf):b>",
  );
  const consumers: [Delegated, string][] = [
    ["substringBefore", "<s-s:s>"],
    ["substringAfter", "<s-s:s>"],
    ["uppercase", "<s-:s>"],
    ["lowercase", "<s-:s>"],
    ["trim", "<s-:s>"],
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
        return delegate(name, this, args);
      },
      signature,
    );
  }

  // Pictures.
  register(
    "formatNumber",
    function (this: jsonata.Focus, value: number | undefined, picture: string, options?: unknown) {
      checkPicture("formatNumber", picture);
      return delegate("formatNumber", this, [value, picture, options]);
    },
    "<n-so?:s>",
  );
  register(
    "formatInteger",
    function (this: jsonata.Focus, value: number | undefined, picture: string) {
      checkPicture("formatInteger", picture);
      return delegate("formatInteger", this, [value, picture]);
    },
    "<n-s:s>",
  );
  register(
    "parseInteger",
    function (this: jsonata.Focus, value: string | undefined, picture: string) {
      checkPicture("parseInteger", picture);
      checkText("parseInteger", value);
      return delegate("parseInteger", this, [value, picture]);
    },
    "<s-s:n>",
  );
  register(
    "fromMillis",
    function (this: jsonata.Focus, millis: number | undefined, picture?: string, timeZone?: string) {
      checkPicture("fromMillis", picture);
      return delegate("fromMillis", this, [millis, picture, timeZone]);
    },
    "<n-s?s?:s>",
  );
  register(
    "toMillis",
    function (this: jsonata.Focus, timestamp: string | undefined, picture?: string) {
      checkPicture("toMillis", picture);
      checkText("toMillis", timestamp);
      if (picture === undefined || timestamp === undefined) return delegate("toMillis", this, [timestamp, picture]);
      // Loaded by now (the wrapper ran after the first await); the swap must cover the whole call.
      const own = builtins?.toMillis;
      if (!own) return loadBuiltins().then((found) => withLinearRegExp(() => found.toMillis.implementation.call(this, timestamp, picture)));
      return withLinearRegExp(() => own.implementation.call(this, timestamp, picture));
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
      return delegate("sort", this, [arr, comparator]);
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
      return delegate("eval", this, focus === undefined ? [text] : [text, focus]);
    },
    "<sx?:x>",
  );
}
