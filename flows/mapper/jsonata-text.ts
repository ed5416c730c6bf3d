/**
 * Just enough lexing of JSONata text to cut it at its top level: the pairs of an object literal, the
 * stages of a `~>` chain, the arguments of a call. Cutting the text (instead of printing jsonata's
 * AST back) keeps what an analyst typed exactly as typed, comments and spacing included.
 */

const OPENERS: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
const CLOSERS = new Set([")", "]", "}"]);

/** Characters after which a `/` starts a regular expression rather than a division. */
const REGEX_CAN_FOLLOW = new Set(["", "(", "[", "{", ",", ":", "=", "!", "<", ">", "&", "|", "?", "~", "+", "-", "*", "%", ";"]);

function skipQuoted(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length && text[i] !== quote) i += text[i] === "\\" ? 2 : 1;
  return i + 1;
}

/**
 * Calls `visit(index, depth)` for every character outside strings, names in backticks, comments and
 * regular expressions; `depth` counts the brackets open before the character. Stops early when
 * `visit` returns true. Returns false when the brackets do not balance.
 */
export function scanTopLevel(text: string, visit: (index: number, depth: number) => boolean | void): boolean {
  const stack: string[] = [];
  let previous = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === "`") {
      i = skipQuoted(text, i, c);
      previous = "a";
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
      continue;
    }
    if (c === "/" && REGEX_CAN_FOLLOW.has(previous)) {
      i = skipQuoted(text, i, "/");
      while (/[a-z]/i.test(text[i] ?? "")) i++;
      previous = "a";
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (CLOSERS.has(c)) {
      if (stack.pop() !== c) return false;
      if (visit(i, stack.length)) return true;
    } else {
      if (visit(i, stack.length)) return true;
      if (OPENERS[c]) stack.push(OPENERS[c]!);
    }
    previous = c;
    i++;
  }
  return stack.length === 0;
}

/** Splits at every top-level (depth 0) occurrence of `separator`; undefined if brackets do not balance. */
export function splitTopLevel(text: string, separator: string): string[] | undefined {
  const parts: string[] = [];
  let last = 0;
  const balanced = scanTopLevel(text, (i, depth) => {
    if (depth === 0 && text.startsWith(separator, i)) {
      parts.push(text.slice(last, i));
      last = i + separator.length;
    }
  });
  if (!balanced) return undefined;
  parts.push(text.slice(last));
  return parts;
}

/** The index of the bracket closing the one at `open`, or -1. */
export function matchingBracket(text: string, open: number): number {
  let found = -1;
  const depthAtOpen = depthAt(text, open);
  scanTopLevel(text, (i, depth) => {
    if (i > open && depth === depthAtOpen && CLOSERS.has(text[i]!)) {
      found = i;
      return true;
    }
  });
  return found;
}

function depthAt(text: string, index: number): number {
  let result = 0;
  scanTopLevel(text, (i, depth) => {
    if (i === index) {
      result = depth;
      return true;
    }
  });
  return result;
}

/** The text without comments and surrounding whitespace, for comparing forms. */
export function stripComments(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === "`") {
      const end = skipQuoted(text, i, c);
      out += text.slice(i, end);
      i = end;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out.trim();
}

export interface ObjectPair {
  key: string;
  /** The value's text as written (trimmed). */
  value: string;
}

/** A JSON or single-quoted JSONata string literal's value, or undefined when `text` is not one. */
export function stringLiteral(text: string): string | undefined {
  const t = text.trim();
  if (t.length < 2) return undefined;
  const q = t[0];
  if ((q !== '"' && q !== "'") || skipQuoted(t, 0, q) !== t.length) return undefined;
  const inner = t.slice(1, -1);
  try {
    return q === '"' ? (JSON.parse(t) as string) : (JSON.parse(`"${inner.replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string);
  } catch {
    return undefined;
  }
}

/**
 * The pairs of an object literal `{ "key": value, ... }` whose keys are string literals, or
 * undefined when the text is something else (a path, a block, an object with computed keys).
 */
export function objectPairs(text: string): ObjectPair[] | undefined {
  const t = stripComments(text);
  if (!t.startsWith("{") || matchingBracket(t, 0) !== t.length - 1) return undefined;
  const inner = t.slice(1, -1);
  if (inner.trim() === "") return [];
  const entries = splitTopLevel(inner, ",");
  if (!entries) return undefined;
  const pairs: ObjectPair[] = [];
  for (const entry of entries) {
    let colon = -1;
    scanTopLevel(entry, (i, depth) => {
      if (depth === 0 && entry[i] === ":") {
        colon = i;
        return true;
      }
    });
    if (colon < 0) return undefined;
    const key = stringLiteral(entry.slice(0, colon));
    const value = entry.slice(colon + 1).trim();
    if (key === undefined || value === "") return undefined;
    pairs.push({ key, value });
  }
  return pairs;
}
