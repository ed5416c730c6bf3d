/**
 * JSONata built-ins rewritten for flows/functions/budgets.ts, because jsonata's own cost more than
 * linear time or much more than they need to (the reasons are in budgets.ts's header); each gives
 * the same result as jsonata's, which budgets.test.ts checks.
 */
import jsonata from "jsonata";
import { MAX_LIST_ITEMS, MAX_TEXT_LENGTH, wouldProduce } from "./limits";
import { checkText, codePointLength, isJsonataFunction, isJsonataLambda } from "./sizes";

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
export function sliceCodePoints(str: string, start: number, end?: number): string {
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

export function jsonataNumeric(item: unknown): boolean {
  if (typeof item !== "number" || Number.isNaN(item)) return false;
  if (!Number.isFinite(item)) throw { code: "D1001", value: item, stack: new Error().stack };
  return true;
}

/** jsonata's $sort without a comparator: ascending, stable, numbers or strings only. */
export function sortPlain(arr: unknown[]): unknown[] {
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

export function identityKey(value: object): string {
  let id = functionIds.get(value);
  if (id === undefined) functionIds.set(value, (id = nextFunctionId++));
  return `F${id}`;
}

/**
 * A key equal for two values exactly when jsonata's deep equality holds: strings and numbers by
 * value, arrays item by item, objects by their set of keys and values in any order, functions by
 * identity.
 */
export function equalityKey(value: unknown): string {
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
export function distinct(this: jsonata.Focus & { createSequence(): unknown[] }, arr: unknown): unknown {
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
export function spread(this: jsonata.Focus & { createSequence(): unknown[] }, arg: unknown): unknown {
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
  if (arg !== null && typeof arg === "object" && !isJsonataLambda(arg)) {
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
export function zip(...args: unknown[]): unknown[] {
  let length = Infinity;
  for (const arg of args) length = Math.min(length, Array.isArray(arg) ? arg.length : 0);
  if (length * args.length > MAX_LIST_ITEMS) throw wouldProduce("zip", length * args.length, MAX_LIST_ITEMS, "items");
  const result: unknown[] = [];
  for (let i = 0; i < length; i++) result.push(args.map((arg) => (arg as unknown[])[i]));
  return result;
}

export function extreme(args: number[] | undefined, pick: (a: number, b: number) => number): number | undefined {
  if (args === undefined || args.length === 0) return undefined;
  let best = args[0]!;
  for (let i = 1; i < args.length; i++) best = pick(best, args[i]!);
  return best;
}

// ---------------------------------------------------------------------------------------------
// Copies of jsonata's own, line for line: calling jsonata's would cost a public evaluation per call
// (budgets.ts `callBuiltin`), and these are a mapping's everyday functions.

/** jsonata's $join. */
export function join(strs: string[] | undefined, separator?: string): string | undefined {
  if (strs === undefined) return undefined;
  return strs.join(separator ?? "");
}

/** jsonata's $substringBefore. */
export function substringBefore(str: string | undefined, chars: string): string | undefined {
  if (str === undefined) return undefined;
  const pos = str.indexOf(chars);
  return pos > -1 ? str.slice(0, pos) : str;
}

/** jsonata's $substringAfter. */
export function substringAfter(str: string | undefined, chars: string): string | undefined {
  if (str === undefined) return undefined;
  const pos = str.indexOf(chars);
  return pos > -1 ? str.slice(pos + chars.length) : str;
}

/** jsonata's $trim: runs of space, tab, CR and LF become one space; one leading and one trailing space go. */
export function trim(str: string | undefined): string | undefined {
  if (str === undefined) return undefined;
  let result = str.replace(/[ \t\n\r]+/gm, " ");
  if (result.charAt(0) === " ") result = result.substring(1);
  if (result.charAt(result.length - 1) === " ") result = result.substring(0, result.length - 1);
  return result;
}
