/**
 * Regular expressions written in a flow, matched in linear time. Every pattern a user writes — a
 * validate rule's `regex`, a JSONata regex literal (`$match(x, /…/)`), a format preset, the
 * regex `$parseDate` builds from its picture — runs on RE2 (re2js: a pure JavaScript port, the
 * same in Node and in the designer's browser, no native build or async start-up), never on the
 * backtracking `RegExp`, where `^(a+)+$` against 31 × "a" + "!" ran for 78 s and froze the process.
 *
 * The price: RE2 has no backreferences, lookahead or lookbehind. A pattern using them is refused
 * with the reason when the flow is validated (flows/validate-graph.ts), so it never reaches a
 * published version. JavaScript syntax is kept: the pattern must first be a valid JavaScript
 * regular expression, is then rewritten where RE2 reads the same text differently (`.` excludes
 * \r, \u2028 and \u2029 as in JavaScript; `\s` is JavaScript's Unicode whitespace, NBSP included),
 * and re2js translates the rest (`\uXXXX`, `(?<name>…)`, `[^]`). Matching is on code points, as
 * JavaScript's `u` flag does.
 *
 * Client-safe: the designer's preview and graph checks use the same module, so they agree with the
 * engine.
 */
import { RE2JS } from "re2js";
import { ExpressionLimitError, formatCount, MAX_REGEX_TEXT_LENGTH, REGEX_TIME_BUDGET_MS } from "./functions/limits";

/**
 * JavaScript's own RegExp, taken before anyone can swap the global (flows/functions/budgets.ts
 * lends this engine to jsonata's $toMillis by doing so): only its parser is used, never matching.
 */
const NativeRegExp = RegExp;

/** A compiled pattern. Offsets are UTF-16 indices, as JavaScript's. */
export interface SafeRegex {
  readonly source: string;
  readonly flags: string;
  /** Whether the pattern matches somewhere in `text` (a single linear scan). */
  test(text: string): boolean;
  /** The first match at or after `from`, shaped like `RegExp.prototype.exec`'s answer; null when none. */
  exec(text: string, from?: number): RegExpExecArray | null;
}

export type RegexCheck = { ok: true; regex: SafeRegex } | { ok: false; reason: "syntax" | "unsupported"; message: string };

/** i, m, s, u as JavaScript reads them; g is the caller's business (where the next search starts). */
const SUPPORTED_FLAGS = /^[gimsu]*$/;

const WHY = "Flowport matches regular expressions in linear time (RE2), which rules out backreferences, lookahead and lookbehind";

/** JavaScript's `\s`: what `trim()` removes, NBSP and the Unicode spaces included. */
const JS_SPACE = String.raw`\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}`;
/** JavaScript's `.` without the s flag. */
const JS_DOT = String.raw`[^\n\r\x{2028}\x{2029}]`;

/** The first construct RE2 cannot run, named for the person who wrote it; undefined when none. */
export function unsupportedConstruct(pattern: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      const next = pattern[i + 1] ?? "";
      if (!inClass && next >= "1" && next <= "9") {
        const digits = /^\d+/.exec(pattern.slice(i + 1))![0];
        return `backreference \\${digits} is not supported: ${WHY}`;
      }
      if (!inClass && next === "k" && pattern[i + 2] === "<") return `named backreference \\k<…> is not supported: ${WHY}`;
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "(" && pattern[i + 1] === "?") {
      const a = pattern[i + 2];
      const b = pattern[i + 3];
      if (a === "=") return `lookahead (?=…) is not supported: ${WHY}`;
      if (a === "!") return `negative lookahead (?!…) is not supported: ${WHY}`;
      if (a === "<" && b === "=") return `lookbehind (?<=…) is not supported: ${WHY}`;
      if (a === "<" && b === "!") return `negative lookbehind (?<!…) is not supported: ${WHY}`;
    }
  }
  return undefined;
}

/**
 * The pattern with JavaScript's meaning of `.` (without s) and `\s`/`\S` spelled out for RE2, whose
 * `.` stops only at \n and whose `\s` is ASCII. Everything else is left to re2js's translator.
 */
function withJavaScriptClasses(pattern: string, dotAll: boolean): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const next = pattern[i + 1] ?? "";
      if (next === "s") out += inClass ? JS_SPACE : `[${JS_SPACE}]`;
      // Inside a class a negated set cannot be spelled out; RE2's \S (ASCII) stands in there.
      else if (next === "S" && !inClass) out += `[^${JS_SPACE}]`;
      else out += c + next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") inClass = true;
    out += c === "." && !dotAll ? JS_DOT : c;
  }
  return out;
}

function flagBits(flags: string): number {
  let bits = 0;
  if (flags.includes("i")) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes("m")) bits |= RE2JS.MULTILINE;
  if (flags.includes("s")) bits |= RE2JS.DOTALL;
  return bits;
}

/** "error parsing regexp: invalid repeat count: `{1001}`" → "invalid repeat count: `{1001}`". */
function re2Reason(err: unknown): string {
  const e = err as { getDescription?: () => string; message?: string };
  const text = (typeof e.getDescription === "function" ? e.getDescription() : undefined) ?? e.message ?? String(err);
  return text.replace(/^error parsing regexp:\s*/, "");
}

class Re2Regex implements SafeRegex {
  constructor(
    readonly source: string,
    readonly flags: string,
    private readonly re: RE2JS,
  ) {}

  test(text: string): boolean {
    return this.re.test(text);
  }

  exec(text: string, from = 0): RegExpExecArray | null {
    // A text without a match costs one pass of the fast DFA instead of the capturing NFA (a tenth
    // of the time on long texts); a match is then located with its groups.
    if (from === 0) return this.re.test(text) ? (this.re.exec(text) as RegExpExecArray | null) : null;
    if (from > text.length) return null;
    const m = this.re.matcher(text);
    if (!m.find(from)) return null;
    const groups = m.groupCount();
    const out: string[] = [];
    for (let g = 0; g <= groups; g++) {
      const value = m.group(g);
      out.push(value === null ? (undefined as unknown as string) : value);
    }
    const result = out as RegExpExecArray;
    result.index = m.start(0);
    result.input = text;
    const names = Object.keys(this.re.namedGroups());
    if (names.length > 0) {
      const named: Record<string, string | undefined> = Object.create(null);
      for (const name of names) named[name] = m.group(name) ?? undefined;
      result.groups = named as Record<string, string>;
    } else {
      result.groups = undefined;
    }
    return result;
  }
}

const cache = new Map<string, RegexCheck>();
/**
 * Patterns are few per flow; the bound keeps a stream of `$eval`-built ones from growing it forever
 * (each compiled pattern may keep up to 8 MB of DFA states once it has searched long texts).
 */
const CACHE_LIMIT = 256;

function compileUncached(pattern: string, flags: string): RegexCheck {
  if (!SUPPORTED_FLAGS.test(flags)) {
    return { ok: false, reason: "syntax", message: `Invalid flags "${flags}": use i, m, s or u` };
  }
  try {
    // JavaScript's own parser first: a pattern that is not valid JavaScript is refused with the
    // message people know, and RE2 only ever sees patterns whose JavaScript meaning is defined.
    new NativeRegExp(pattern, flags.replace("g", ""));
  } catch (err) {
    return { ok: false, reason: "syntax", message: (err as Error).message };
  }
  const unsupported = unsupportedConstruct(pattern);
  if (unsupported) return { ok: false, reason: "unsupported", message: unsupported.charAt(0).toUpperCase() + unsupported.slice(1) };
  try {
    const translated = RE2JS.translateRegExp(withJavaScriptClasses(pattern, flags.includes("s")));
    return { ok: true, regex: new Re2Regex(pattern, flags, RE2JS.compile(translated, flagBits(flags))) };
  } catch (err) {
    return { ok: false, reason: "unsupported", message: `Not supported by the linear-time engine (RE2): ${re2Reason(err)}` };
  }
}

/** Compiles a pattern with JavaScript flags (i, m, s, u; g accepted and ignored). Never throws; cached. */
export function compileRegex(pattern: string, flags = ""): RegexCheck {
  const key = `${flags}/${pattern}`;
  let compiled = cache.get(key);
  if (compiled === undefined) {
    compiled = compileUncached(pattern, flags);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, compiled);
  }
  return compiled;
}

/** A pattern that must compile (built by Flowport itself, e.g. the format presets); throws otherwise. */
export function safeRegex(pattern: string, flags = ""): SafeRegex {
  const compiled = compileRegex(pattern, flags);
  if (!compiled.ok) throw new Error(`Invalid built-in pattern /${pattern}/${flags}: ${compiled.message}`);
  return compiled.regex;
}

/** A pattern the engine cannot run, met while evaluating (a regex built by `$eval`, say). */
export class UnsupportedRegexError extends Error {
  readonly code = "UNSUPPORTED_REGEX";
  constructor(pattern: string, flags: string, reason: string) {
    super(`Regular expression /${pattern}/${flags.replace("g", "")} cannot run: ${reason}`);
    this.name = "UnsupportedRegexError";
  }
}

let existenceOnlyDepth = 0;

/**
 * Runs `fn` telling the searches it starts synchronously that only whether there is a match counts
 * (`$contains`): they answer from the fast DFA, without locating the match and its groups, which on
 * a long match costs ten times more. A search started after `fn` returns (past an await) is a full
 * one, so the answer never depends on this: only the time does.
 */
export function existenceOnly<T>(fn: () => T): T {
  existenceOnlyDepth++;
  try {
    return fn();
  } finally {
    existenceOnlyDepth--;
  }
}

/**
 * The class jsonata constructs for each regex literal it evaluates (its `RegexEngine` option):
 * `new RegexEngine(literal)`, where `literal` is the RegExp its parser built, then `lastIndex` set
 * and `exec` called once per match. All searches of one instance (one `$match`, `$replace`,
 * `$split` or `$contains` call) share REGEX_TIME_BUDGET_MS, and a text longer than
 * MAX_REGEX_TEXT_LENGTH is refused before searching, so no call holds the event loop for long.
 */
export class JsonataRegExp {
  lastIndex = 0;
  readonly source: string;
  readonly flags: string;
  readonly global: boolean;
  private readonly regex: SafeRegex;
  private spentMs = 0;

  constructor(pattern: string | RegExp, flags?: string) {
    this.source = typeof pattern === "string" ? pattern : pattern.source;
    this.flags = flags ?? (typeof pattern === "string" ? "" : pattern.flags);
    this.global = this.flags.includes("g");
    const compiled = compileRegex(this.source, this.flags);
    if (!compiled.ok) throw new UnsupportedRegexError(this.source, this.flags, compiled.message);
    this.regex = compiled.regex;
  }

  private get name(): string {
    return `regular expression /${this.source}/${this.flags.replace("g", "")}`;
  }

  exec(text: string): RegExpExecArray | null {
    if (text.length > MAX_REGEX_TEXT_LENGTH) {
      throw new ExpressionLimitError(
        this.name,
        MAX_REGEX_TEXT_LENGTH,
        "characters",
        `A ${this.name} was given ${formatCount(text.length)} characters to search; the limit is ${formatCount(MAX_REGEX_TEXT_LENGTH)}`,
      );
    }
    if (this.spentMs > REGEX_TIME_BUDGET_MS) {
      throw new ExpressionLimitError(
        this.name,
        REGEX_TIME_BUDGET_MS,
        "ms",
        `A ${this.name} spent over ${REGEX_TIME_BUDGET_MS} ms matching in one call; the limit is ${REGEX_TIME_BUDGET_MS} ms`,
      );
    }
    const started = performance.now();
    const from = this.global ? this.lastIndex : 0;
    let match: RegExpExecArray | null;
    if (existenceOnlyDepth > 0 && from === 0) {
      // Found or not is all that is asked: an empty match at 0 stands for "found".
      match = this.regex.test(text) ? (Object.assign([""], { index: 0, input: text, groups: undefined }) as unknown as RegExpExecArray) : null;
    } else {
      match = this.regex.exec(text, from);
    }
    this.spentMs += performance.now() - started;
    if (this.global) this.lastIndex = match === null ? 0 : match.index + match[0]!.length;
    return match;
  }

  test(text: string): boolean {
    return this.exec(text) !== null;
  }

  toString(): string {
    return `/${this.source}/${this.flags}`;
  }
}
