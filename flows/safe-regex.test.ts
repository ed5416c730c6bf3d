import jsonata from "jsonata";
import { describe, expect, it } from "vitest";
import { ExpressionLimitError, MAX_REGEX_TEXT_LENGTH } from "./functions/limits";
import { compileRegex, JsonataRegExp, safeRegex, UnsupportedRegexError, unsupportedConstruct, type SafeRegex } from "./safe-regex";

function regex(pattern: string, flags = ""): SafeRegex {
  const compiled = compileRegex(pattern, flags);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.regex;
}

describe("compileRegex", () => {
  it("answers a catastrophic pattern in one pass, whatever the text", () => {
    // ^(a+)+$ against 31 × "a" + "!" froze the process for 78 s on the backtracking engine.
    const re = regex("^(a+)+$");
    expect(re.test(`${"a".repeat(31)}!`)).toBe(false);
    expect(re.test(`${"a".repeat(100_000)}!`)).toBe(false);
    expect(re.test("a".repeat(100_000))).toBe(true);
    expect(regex("(x+x+)+y").test("x".repeat(50_000))).toBe(false);
    expect(regex("^(\\w+\\s?)*$").test(`${"word ".repeat(20_000)}!`)).toBe(false);
  });

  it("maps the flags i, m, s and u", () => {
    expect(regex("abc").test("ABC")).toBe(false);
    expect(regex("abc", "i").test("ABC")).toBe(true);
    expect(regex("^b$").test("a\nb")).toBe(false);
    expect(regex("^b$", "m").test("a\nb")).toBe(true);
    expect(regex("a.b").test("a\nb")).toBe(false);
    expect(regex("a.b", "s").test("a\nb")).toBe(true);
    expect(regex("^.$", "u").test("😀")).toBe(true);
    // g only says where the next search starts: accepted, and the caller handles it.
    expect(compileRegex("a", "g").ok).toBe(true);
  });

  it("keeps JavaScript's meaning where RE2 reads the same text differently", () => {
    // `.` stops at every JavaScript line terminator, not only \n.
    for (const stop of ["\n", "\r", "\u2028", "\u2029"]) expect(regex("^a.b$").test(`a${stop}b`)).toBe(false);
    expect(regex("^a.b$", "s").test("a\rb")).toBe(true);
    // `\s` is Unicode whitespace, NBSP included (Excel exports are full of it).
    expect(regex("^\\s$").test("\u00a0")).toBe(true);
    expect(regex("^\\S$").test("\u00a0")).toBe(false);
    expect(regex("^[\\s-]+$").test(" \u00a0-\u3000")).toBe(true);
    expect(regex("^[\\S\\s]+$").test("any\nthing")).toBe(true);
    // JavaScript escapes and named groups.
    expect(regex("^\\u0041$").test("A")).toBe(true);
    expect(regex("^(?<year>\\d{4})$").exec("2025")?.groups).toEqual({ year: "2025" });
    expect(regex("^[^]$").test("\n")).toBe(true);
    expect(regex("^a\\/b$").test("a/b")).toBe(true);
  });

  it("gives the same matches as JavaScript for the patterns flows use", () => {
    const cases: [string, string, string[]][] = [
      ["^PO-\\d+$", "", ["PO-123", "PO-", "po-1", "PO-12x"]],
      ["(\\d{4})-(\\d{2})(?:-(\\d{2}))?", "", ["on 2025-12-31 and", "2025-12", "x"]],
      ["\\b[A-Z]{5}\\d{4}[A-Z]\\b", "", ["pan ABCDE1234F here", "ABCDE1234FG"]],
      ["a|ab", "", ["ab", "b"]],
      ["x*?y", "", ["xxxy", "y", "x"]],
      ["[^,]+", "", ["a,b", ",", "abc"]],
      ["^[\\w.+-]+@[\\w-]+\\.[\\w.]+$", "i", ["A.B+c@x-y.co.in", "a@b", "@x.com"]],
      ["(a)|(b)", "", ["b", "a", "c"]],
      ["^\\s*(\\S+)\\s*$", "", ["  word  ", " two words "]],
    ];
    for (const [pattern, flags, inputs] of cases) {
      const ours = regex(pattern, flags);
      const native = new RegExp(pattern, flags);
      for (const input of inputs) {
        expect(ours.test(input), `${pattern} on ${input}`).toBe(native.test(input));
        expect(ours.exec(input) && [...ours.exec(input)!], `${pattern} on ${input}`).toEqual(native.exec(input) && [...native.exec(input)!]);
        expect(ours.exec(input)?.index).toBe(native.exec(input)?.index);
      }
    }
  });

  it("searches from an offset in UTF-16 units, as JavaScript does", () => {
    const re = regex("(b)c|(d)");
    const text = "a😀bc😀d";
    expect(re.exec(text)).toMatchObject({ 0: "bc", 1: "b", 2: undefined, index: 3 });
    const second = re.exec(text, 5)!;
    expect([...second]).toEqual(["d", undefined, "d"]);
    expect(second.index).toBe(text.indexOf("d"));
    expect(re.exec(text, 8)).toBeNull();
    expect(re.exec(text, 99)).toBeNull();
  });

  it("refuses what the engine cannot run, saying what and why", () => {
    const refusals: [string, RegExp][] = [
      ["(a)\\1", /^Backreference \\1 is not supported: .*linear time \(RE2\)/],
      ["(?<q>['\"]).*\\k<q>", /^Named backreference \\k<…> is not supported/],
      ["foo(?=bar)", /^Lookahead \(\?=…\) is not supported/],
      ["foo(?!bar)", /^Negative lookahead \(\?!…\) is not supported/],
      ["(?<=\\$)\\d+", /^Lookbehind \(\?<=…\) is not supported/],
      ["(?<!-)\\d+", /^Negative lookbehind \(\?<!…\) is not supported/],
      ["a{1001}", /^Not supported by the linear-time engine \(RE2\): invalid repeat count/],
    ];
    for (const [pattern, message] of refusals) {
      const result = compileRegex(pattern);
      expect(result, pattern).toMatchObject({ ok: false, reason: "unsupported" });
      expect(!result.ok && result.message, pattern).toMatch(message);
    }
    expect(compileRegex("([a-z")).toMatchObject({ ok: false, reason: "syntax", message: expect.stringContaining("Invalid regular expression") });
    expect(compileRegex("a", "y")).toMatchObject({ ok: false, reason: "syntax", message: 'Invalid flags "y": use i, m, s or u' });
  });

  it("reads escapes and classes when looking for unsupported constructs", () => {
    expect(unsupportedConstruct("[\\1(?=]")).toBeUndefined();
    expect(unsupportedConstruct("\\\\1")).toBeUndefined();
    expect(unsupportedConstruct("\\(?=x\\)")).toBeUndefined();
    expect(unsupportedConstruct("(?<name>x)")).toBeUndefined();
    expect(unsupportedConstruct("(x)\\12")).toContain("backreference \\12");
  });

  it("compiles once per pattern and flags", () => {
    expect(compileRegex("^cached$", "i")).toBe(compileRegex("^cached$", "i"));
    expect(() => safeRegex("(a)\\1")).toThrow(/Backreference/);
  });
});

describe("JsonataRegExp (jsonata's RegexEngine)", () => {
  const evaluate = (text: string, input: unknown = {}) => jsonata(text, { RegexEngine: JsonataRegExp as unknown as RegExpConstructor }).evaluate(input);

  it("runs jsonata's regex functions with the same answers as RegExp", async () => {
    for (const text of [
      '$match("ab12cd345", /\\d+/)',
      '$match("2025-12-31", /(\\d+)-(\\d+)-(\\d+)/)',
      '$replace("a-b-c", /-/, "+")',
      '$replace("John Smith", /(\\w+)\\s(\\w+)/, "$2, $1")',
      '$split("a1b22c", /\\d+/)',
      '$contains("Hello", /^h/i)',
      '$match("ab\\nab", /^ab$/m)',
      '$replace("aaa", /a/, "b", 2)',
    ]) {
      expect(await evaluate(text), text).toEqual(await jsonata(text).evaluate({}));
    }
  });

  it("answers a catastrophic literal at once", async () => {
    expect(await evaluate(`$contains(s, /^(a+)+$/)`, { s: `${"a".repeat(40)}!` })).toBe(false);
  });

  it("keeps jsonata's refusal of a pattern matching the empty string", async () => {
    await expect(evaluate('$match("abc", /x*/)')).rejects.toMatchObject({ code: "D1004" });
  });

  it("refuses a pattern the engine cannot run, when jsonata constructs it", async () => {
    expect(() => new JsonataRegExp(/(a)\1/)).toThrow(UnsupportedRegexError);
    await expect(evaluate('$eval("$match(\'aa\', /(a)\\\\1/)")')).rejects.toMatchObject({ code: "D3121" });
  });

  it("stops a call whose searches together pass the time budget", async () => {
    // /x*y|x/ rescans the rest of the text after every match: quadratic in the text.
    await expect(evaluate("$match(s, /x*y|x/)", { s: "x".repeat(60_000) })).rejects.toBeInstanceOf(ExpressionLimitError);
    await expect(evaluate("$match(s, /x*y|x/)", { s: "x".repeat(60_000) })).rejects.toThrow(
      "A regular expression /x*y|x/ spent over 250 ms matching in one call; the limit is 250 ms",
    );
  });

  it("refuses a text longer than one body before searching it", async () => {
    await expect(evaluate("$contains(s, /a/)", { s: "b".repeat(MAX_REGEX_TEXT_LENGTH + 1) })).rejects.toThrow(
      "A regular expression /a/ was given 1,048,577 characters to search; the limit is 1,048,576",
    );
  });

  it("behaves like a global RegExp: lastIndex moves past each match and resets after the last", () => {
    const re = new JsonataRegExp(/a(\d)/g);
    expect(re.exec("a1 a2")).toMatchObject({ 0: "a1", 1: "1", index: 0 });
    expect(re.lastIndex).toBe(2);
    expect(re.exec("a1 a2")).toMatchObject({ 0: "a2", index: 3 });
    expect(re.exec("a1 a2")).toBeNull();
    expect(re.lastIndex).toBe(0);
    expect(new JsonataRegExp("A", "i").test("xa")).toBe(true);
  });
});
