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
  MAX_PICTURE_LENGTH,
  MAX_TEXT_LENGTH,
  wasGiven,
  wouldProduce,
} from "./limits";

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
// Sizes

/** Code points, as jsonata's $length counts. */
function codePointLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function isJsonataFunction(value: unknown): boolean {
  return (
    typeof value === "function" ||
    (value !== null &&
      typeof value === "object" &&
      ((value as { _jsonata_function?: unknown })._jsonata_function === true || (value as { _jsonata_lambda?: unknown })._jsonata_lambda === true))
  );
}

/**
 * Whether `JSON.stringify(value, …, prettify ? 2 : 0)` would be longer than `limit` characters,
 * estimated without building it (strings counted without escapes). Stops as soon as it knows, so
 * its cost is bounded by the limit, not by the value.
 */
export function jsonLengthExceeds(value: unknown, prettify: boolean, limit: number): boolean {
  let size = 0;
  const stack: unknown[] = [value];
  const depths: number[] = [0];
  while (stack.length > 0) {
    const item = stack.pop();
    const depth = depths.pop()!;
    switch (typeof item) {
      case "string":
        size += item.length + 2;
        break;
      case "number":
        size += String(item).length;
        break;
      case "boolean":
        size += item ? 4 : 5;
        break;
      case "object": {
        if (item === null) {
          size += 4;
          break;
        }
        if (isJsonataFunction(item)) {
          size += 2;
          break;
        }
        const indent = prettify ? 2 * (depth + 1) + 1 : 0;
        if (Array.isArray(item)) {
          size += 2 + item.length * (1 + indent);
          for (let i = item.length - 1; i >= 0; i--) {
            stack.push(item[i]);
            depths.push(depth + 1);
          }
        } else {
          const keys = Object.keys(item);
          size += 2;
          for (const key of keys) {
            size += key.length + 4 + indent + (prettify ? 1 : 0);
            stack.push((item as Record<string, unknown>)[key]);
            depths.push(depth + 1);
          }
        }
        break;
      }
      default:
        // undefined (dropped or null) and functions ("").
        size += 4;
    }
    if (size > limit) return true;
  }
  return false;
}

function checkText(fn: string, text: unknown, what = ""): void {
  if (typeof text === "string" && text.length > MAX_TEXT_LENGTH) throw wasGiven(fn, text.length, MAX_TEXT_LENGTH, "characters", what);
}

function checkPicture(fn: string, picture: unknown): void {
  if (typeof picture === "string" && picture.length > MAX_PICTURE_LENGTH) {
    throw wasGiven(fn, picture.length, MAX_PICTURE_LENGTH, "characters", "a picture of ");
  }
}

function checkListResult(fn: string, result: unknown): unknown {
  if (Array.isArray(result) && result.length > MAX_LIST_ITEMS) throw wouldProduce(fn, result.length, MAX_LIST_ITEMS, "items");
  return result;
}

function checkTextResult(fn: string, result: unknown): unknown {
  if (typeof result === "string" && result.length > MAX_TEXT_LENGTH) throw wouldProduce(fn, result.length, MAX_TEXT_LENGTH, "characters");
  return result;
}

/** Applies `check` to a result that may still be a promise. */
function then(result: unknown, check: (value: unknown) => unknown): unknown {
  return result instanceof Promise ? result.then(check) : check(result);
}

// ---------------------------------------------------------------------------------------------
// Rewritten built-ins (same results as jsonata's; budgets.test.ts compares them)

/** jsonata's $pad, without building the padding one code point at a time. */
export function pad(str: string | undefined, width: number, char?: string): string | undefined {
  if (str === undefined) return undefined;
  if (char === undefined || char.length === 0) char = " ";
  const target = Math.abs(Math.trunc(width));
  if (target > MAX_TEXT_LENGTH) throw wouldProduce("pad", target, MAX_TEXT_LENGTH, "characters");
  checkText("pad", str);
  const padLength = target - codePointLength(str);
  if (!(padLength > 0)) return str;
  const unit = Array.from(char);
  const padding =
    unit.length === char.length
      ? char.repeat(Math.ceil(padLength / char.length)).slice(0, padLength)
      : Array.from({ length: padLength }, (_, i) => unit[i % unit.length]).join("");
  return width > 0 ? str + padding : padding + str;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** `Array.prototype.slice` over the code points of `str`, without building the array of them. */
function sliceCodePoints(str: string, start: number, end?: number): string {
  if (!SURROGATE.test(str)) return str.slice(start, end);
  const length = codePointLength(str);
  const clamp = (n: number) => {
    const i = Number.isNaN(n) ? 0 : Math.trunc(n);
    return i < 0 ? Math.max(length + i, 0) : Math.min(i, length);
  };
  const from = clamp(start);
  const to = end === undefined ? length : clamp(end);
  if (to <= from) return "";
  // Code point index → UTF-16 index, in one walk.
  let cp = 0;
  let fromUnit = str.length;
  let toUnit = str.length;
  for (let i = 0; i <= str.length; i++) {
    if (cp === from && fromUnit === str.length) fromUnit = i;
    if (cp === to) {
      toUnit = i;
      break;
    }
    const c = str.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < str.length) {
      const d = str.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    cp++;
  }
  return str.slice(fromUnit, toUnit);
}

/** jsonata's $substring (code points; negative start counts from the end), without an array of code points. */
export function substring(str: string | undefined, start: number, length?: number): string | undefined {
  if (str === undefined) return undefined;
  checkText("substring", str);
  const strLength = SURROGATE.test(str) ? codePointLength(str) : str.length;
  if (strLength + start < 0) start = 0;
  if (length !== undefined) {
    if (length <= 0) return "";
    const end = start >= 0 ? start + length : strLength + start + length;
    return sliceCodePoints(str, start, end);
  }
  return sliceCodePoints(str, start);
}

function jsonataNumeric(item: unknown): boolean {
  if (typeof item !== "number" || Number.isNaN(item)) return false;
  if (!Number.isFinite(item)) throw { code: "D1001", value: item, stack: new Error().stack };
  return true;
}

/** jsonata's $sort without a comparator: ascending, stable, numbers or strings only. */
function sortPlain(arr: unknown[]): unknown[] {
  if (arr.length <= 1) return arr;
  const numbers = arr.every(jsonataNumeric);
  if (!numbers && !arr.every((item) => typeof item === "string")) {
    throw { code: "D3070", stack: new Error().stack, index: 1 };
  }
  const values = arr as (number | string)[];
  return values.slice().sort((a, b) => (a > b ? 1 : b > a ? -1 : 0));
}

const functionIds = new WeakMap<object, number>();
let nextFunctionId = 0;

function identityKey(value: object): string {
  let id = functionIds.get(value);
  if (id === undefined) functionIds.set(value, (id = nextFunctionId++));
  return `F${id}`;
}

/**
 * A key equal for two values exactly when jsonata's deep equality holds: strings and numbers by
 * value, arrays item by item, objects by their set of keys and values in any order, functions by
 * identity.
 */
function equalityKey(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      // 0 and -0 are equal to jsonata (===); String() writes both as "0".
      return `n${String(value)}`;
    case "boolean":
      return value ? "t" : "f";
    case "undefined":
      return "u";
    case "function":
      return identityKey(value);
    default: {
      if (value === null) return "z";
      // jsonata's function values by identity too (a lambda holds its whole environment).
      if (isJsonataFunction(value)) return identityKey(value as object);
      if (Array.isArray(value)) return `[${value.map(equalityKey).join(",")}]`;
      const keys = Object.getOwnPropertyNames(value).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${equalityKey((value as Record<string, unknown>)[k])}`).join(",")}}`;
    }
  }
}

/** jsonata's $distinct: first occurrences in order, by deep equality, in linear time. */
function distinct(this: jsonata.Focus & { createSequence(): unknown[] }, arr: unknown): unknown {
  if (arr === undefined) return undefined;
  if (!Array.isArray(arr) || arr.length <= 1) return arr;
  const results: unknown[] = (arr as { sequence?: boolean }).sequence === true ? this.createSequence() : [];
  const seen = new Set<string>();
  let primitivesOnly: Set<unknown> | undefined = new Set();
  for (const value of arr) {
    // Strings and numbers (the common case) skip building keys.
    if (primitivesOnly && (typeof value === "string" || typeof value === "number" || typeof value === "boolean")) {
      if (primitivesOnly.has(value)) continue;
      primitivesOnly.add(value);
      results.push(value);
      continue;
    }
    if (primitivesOnly) {
      for (const kept of primitivesOnly) seen.add(equalityKey(kept));
      primitivesOnly = undefined;
    }
    const key = equalityKey(value);
    if (seen.has(key)) continue;
    seen.add(key);
    results.push(value);
  }
  return results;
}

/** jsonata's $spread, with its array case appending in place instead of copying per item. */
function spread(this: jsonata.Focus & { createSequence(): unknown[] }, arg: unknown): unknown {
  if (Array.isArray(arg)) {
    let result: unknown[] = this.createSequence();
    // jsonata appends with Array.prototype.concat, so after the first append the result is a plain
    // array (not a sequence): a singleton result stays an array.
    let plain = false;
    for (const item of arg) {
      const part = spread.call(this, item);
      if (part === undefined) continue;
      if (!plain) {
        result = [...result];
        plain = true;
      }
      if (Array.isArray(part)) for (const p of part) result.push(p);
      else result.push(part);
      if (result.length > MAX_LIST_ITEMS) throw wouldProduce("spread", result.length, MAX_LIST_ITEMS, "items", true);
    }
    return result;
  }
  if (arg !== null && typeof arg === "object" && (arg as { _jsonata_lambda?: unknown })._jsonata_lambda !== true) {
    const result = this.createSequence();
    for (const key of Object.keys(arg)) {
      const obj: Record<string, unknown> = Object.create(null);
      obj[key] = (arg as Record<string, unknown>)[key];
      result.push(obj);
    }
    return result;
  }
  return arg;
}

/** jsonata's $zip: tuples up to the shortest array (a non-array argument counts as empty). */
function zip(...args: unknown[]): unknown[] {
  let length = Infinity;
  for (const arg of args) length = Math.min(length, Array.isArray(arg) ? arg.length : 0);
  if (length * args.length > MAX_LIST_ITEMS) throw wouldProduce("zip", length * args.length, MAX_LIST_ITEMS, "items");
  const result: unknown[] = [];
  for (let i = 0; i < length; i++) result.push(args.map((arg) => (arg as unknown[])[i]));
  return result;
}

function extreme(args: number[] | undefined, pick: (a: number, b: number) => number): number | undefined {
  if (args === undefined || args.length === 0) return undefined;
  let best = args[0]!;
  for (let i = 1; i < args.length; i++) best = pick(best, args[i]!);
  return best;
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
  const finish = () => then(delegate("replace", this, [str, pattern, replacement, limit]), (result) => checkTextResult("replace", result));
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
      return then(delegate("split", this, [str, separator, limit]), (result) => checkListResult("split", result));
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
