import jsonata from "jsonata";
import { describe, expect, it } from "vitest";
import { createExpression } from "@/flows/expression";
import { jsonLengthExceeds } from "./sizes";
import { ExpressionLimitError, MAX_EVAL_TEXT_LENGTH, MAX_LIST_ITEMS, MAX_PICTURE_LENGTH, MAX_TEXT_LENGTH } from "./limits";
import { registerPureFunctions } from "./pure";

/** Evaluated as the engine and the preview evaluate (budgeted built-ins, linear regexes, list cap). */
async function budgeted(text: string, input: unknown = {}, bindings?: Record<string, unknown>): Promise<unknown> {
  const expr = createExpression(text);
  registerPureFunctions(expr);
  return expr.evaluate(input, bindings);
}

/** jsonata as shipped: the reference the rewritten functions must agree with. */
function plain(text: string, input: unknown = {}, bindings?: Record<string, unknown>): Promise<unknown> {
  return jsonata(text).evaluate(input, bindings);
}

async function limitError(text: string, input: unknown = {}, bindings?: Record<string, unknown>): Promise<ExpressionLimitError> {
  try {
    await budgeted(text, input, bindings);
  } catch (err) {
    expect(err).toBeInstanceOf(ExpressionLimitError);
    return err as ExpressionLimitError;
  }
  throw new Error(`expected ${text} to reach a limit`);
}

const big = "a".repeat(MAX_TEXT_LENGTH + 1);

describe("budgeted built-ins", () => {
  it("shadow jsonata's own (registerFunction binds the name over the built-in)", async () => {
    const error = await limitError("$pad('', 100000000)");
    expect(error.message).toBe("$pad would produce 100,000,000 characters; the limit is 4,000,000");
    expect(error).toMatchObject({ code: "EXPRESSION_LIMIT", subject: "$pad", limit: MAX_TEXT_LENGTH, unit: "characters" });
    // Also when called as a function value and in a chain.
    await expect(budgeted("($p := $pad; $p('', -100000000))")).rejects.toThrow("$pad would produce");
    await expect(budgeted("'' ~> $pad(100000000)")).rejects.toThrow("$pad would produce");
  });

  it("$pad refuses a width over the limit and pads like jsonata under it", async () => {
    await expect(budgeted(`$pad('', ${MAX_TEXT_LENGTH + 1})`)).rejects.toThrow("$pad would produce 4,000,001 characters; the limit is 4,000,000");
    expect(((await budgeted(`$pad('', ${MAX_TEXT_LENGTH})`)) as string).length).toBe(MAX_TEXT_LENGTH);
    for (const text of [
      "$pad('ab', 5)",
      "$pad('ab', -5, '#')",
      "$pad('ab', 7, 'xyz')",
      "$pad('ab', -7, 'xyz')",
      "$pad('😀', 4, 'é😀')",
      "$pad('abc', 2)",
      "$pad('ab', 5.9, '')",
      "$pad('ab', -5.9)",
      "$pad(x, 3)",
    ]) {
      expect(await budgeted(text), text).toEqual(await plain(text));
    }
  });

  it("$string refuses a result over the limit before building it, and stringifies like jsonata under it", async () => {
    const error = await limitError("$string($n)", {}, { n: Array.from({ length: 600_000 }, (_, i) => i * 1000) });
    expect(error.message).toBe("$string would produce more than 4,000,000 characters; the limit is 4,000,000");
    await expect(budgeted("$string($o, true)", {}, { o: Array.from({ length: 200_000 }, (_, i) => ({ id: i })) })).rejects.toThrow(
      "$string would produce more than",
    );
    // A string is returned as it is, however long.
    expect(await budgeted("$length($string($s))", {}, { s: "a".repeat(MAX_TEXT_LENGTH) })).toBe(MAX_TEXT_LENGTH);
    for (const text of ["$string({'a': [1, 2.5, true, null, 'x']})", "$string({'a': {'b': 1}}, true)", "$string(1/3)", "$string($string)", "$string(x)"]) {
      expect(await budgeted(text), text).toEqual(await plain(text));
    }
  });

  it("estimates JSON lengths closely, without building them", () => {
    const value = { name: "Ramesh", lines: [{ qty: 2, price: 10.5 }, { qty: 1, price: 3 }], tags: ["a", "b"], active: true, note: null };
    for (const prettify of [false, true]) {
      const real = JSON.stringify(value, null, prettify ? 2 : 0).length;
      expect(jsonLengthExceeds(value, prettify, Math.ceil(real * 1.2))).toBe(false);
      expect(jsonLengthExceeds(value, prettify, Math.floor(real * 0.8))).toBe(true);
    }
  });

  it("$join refuses a result over the limit and joins under it", async () => {
    const error = await limitError("$join($map([1..1000], function($v){ $pad('', 10000, 'x') }))");
    expect(error.message).toBe("$join would produce 10,000,000 characters; the limit is 4,000,000");
    expect(await budgeted("$join(['a', 'b', 'c'], ', ')")).toBe("a, b, c");
  });

  it("$replace refuses a result over the limit before replacing, with a text or a regex pattern", async () => {
    const input = { s: "a".repeat(1_000_000) };
    // A text pattern: its occurrences are counted first (cheap).
    const text = await limitError("$replace(s, 'a', 'bbbbbbbbbb')", input);
    expect(text.message).toBe("$replace would produce more than 4,000,000 characters; the limit is 4,000,000");
    // A regex: its matches are counted until the result is known to be too long (41 here; a pattern
    // needing hundreds of thousands of matches to get there meets the regex's 250 ms time budget
    // first, another EXPRESSION_LIMIT, and so did 4,000 matches on a machine at load 12).
    const regex = await limitError("$replace(s, /a/, $pad('', 100000, 'b'))", { s: "a".repeat(1_000) });
    expect(regex.message).toBe("$replace would produce more than 4,000,000 characters; the limit is 4,000,000");
    // Under the limit: as jsonata, counted or not.
    expect(((await budgeted("$replace(s, 'a', 'bb')", input)) as string).length).toBe(2_000_000);
    expect(((await budgeted("$replace(s, /a/, 'bb', 10)", input)) as string).length).toBe(1_000_010);
    for (const text of ["$replace('a-b-c', '-', '+')", "$replace('John Smith', /(\\w+)\\s(\\w+)/, '$2, $1')", "$replace('abc', /b/, function($m){ $uppercase($m.match) })"]) {
      expect(await budgeted(text), text).toEqual(await plain(text));
    }
  });

  it("$split refuses more items than a list may hold, and splits under it", async () => {
    const error = await limitError("$split(s, '')", { s: "a".repeat(MAX_LIST_ITEMS + 1) });
    expect(error.message).toBe("$split would produce 1,048,577 items; the limit is 1,048,576");
    expect(((await budgeted("$split(s, '')", { s: "a".repeat(1000) })) as string[]).length).toBe(1000);
    expect(await budgeted("$split('a1b22c', /\\d+/)")).toEqual(["a", "b", "c"]);
  });

  it("text functions refuse a text over the limit and work under it", async () => {
    for (const fn of ["uppercase", "lowercase", "trim", "length", "base64encode", "encodeUrlComponent", "encodeUrl", "decodeUrl", "decodeUrlComponent", "base64decode"]) {
      const error = await limitError(`$${fn}($s)`, {}, { s: big });
      expect(error.message).toBe(`$${fn} was given 4,000,001 characters; the limit is 4,000,000`);
    }
    await expect(budgeted("$substring($s, 1, 2)", {}, { s: big })).rejects.toThrow("$substring was given 4,000,001 characters");
    await expect(budgeted("$contains($s, 'x')", {}, { s: big })).rejects.toThrow("$contains was given");
    await expect(budgeted("$substringBefore($s, 'x')", {}, { s: big })).rejects.toThrow("$substringBefore was given");
    await expect(budgeted("$match($s, /x/)", {}, { s: big })).rejects.toThrow("$match was given");
    for (const text of ["$uppercase('abc')", "$trim('  a   b ')", "$base64decode($base64encode('é'))", "$contains('abc', 'b')", "$substringAfter('a-b', '-')", "$contains('abc', /b/)", "$contains('abc', /^b/)", "$contains('ABC', /b/i)", "$contains('a', /x*/)"]) {
      expect(await budgeted(text), text).toEqual(await plain(text));
    }
  });

  it("$contains with a regex asks only whether it matches, so a long match costs one fast pass", async () => {
    expect(await budgeted("$contains($s, /^(a+)+$/)", {}, { s: "a".repeat(1_000_000) })).toBe(true);
    expect(await budgeted("$contains($s, /^(a+)+$/)", {}, { s: `${"a".repeat(1_000_000)}!` })).toBe(false);
    // The full search where the existence-only hint does not reach: same answer.
    expect(await budgeted("$contains($s, $r)", {}, { s: "xaby", r: undefined })).toBeUndefined();
  });

  it("$length and $substring count code points like jsonata, without its array of them", async () => {
    const texts = ["hello", "", "😀a😀b", "a\ud800b", "€ab😀"];
    const calls = ["$length(t)", "$substring(t, 1)", "$substring(t, -2)", "$substring(t, 1, 2)", "$substring(t, -3, 2)", "$substring(t, 0, 0)", "$substring(t, 1.5, 2.5)", "$substring(t, -10, 3)", "$substring(t, 10)"];
    for (const t of texts) {
      for (const call of calls) expect(await budgeted(call, { t }), `${call} on ${t}`).toEqual(await plain(call, { t }));
    }
  });

  it("picture functions refuse a picture over the limit and format under it", async () => {
    const picture = "#".repeat(MAX_PICTURE_LENGTH + 1);
    for (const call of [`$formatNumber(1, p)`, `$formatInteger(1, p)`, `$parseInteger('1', p)`, `$fromMillis(0, p)`, `$toMillis('1', p)`, `$formatDate('2025-01-01', p)`, `$parseDate('1', p)`]) {
      const error = await limitError(call, { p: picture });
      expect(error.message).toMatch(/^\$\w+ was given a picture of 1,001 characters; the limit is 1,000$/);
    }
    for (const text of ["$formatNumber(1234.5, '#,##0.00')", "$formatInteger(12, 'w')", "$parseInteger('twelve', 'w')", "$fromMillis(0, '[Y0001]-[M01]-[D01]')"]) {
      expect(await budgeted(text), text).toEqual(await plain(text));
    }
  });

  it("$toMillis with a picture runs its pattern on the linear-time engine", async () => {
    // Ten name components against 40 letters: 15 s of backtracking with jsonata's own RegExp.
    const ambiguous = "[FNn]".repeat(10);
    expect(await budgeted("$toMillis(t, p)", { t: `${"a".repeat(40)}1`, p: ambiguous })).toBeUndefined();
    for (const [t, p] of [
      ["2025-12-31", "[Y0001]-[M01]-[D01]"],
      ["31 December 2025", "[D1] [MNn] [Y0001]"],
      ["Wednesday, 31st December 2025 10:30", "[FNn], [D1o] [MNn] [Y0001] [H01]:[m01]"],
      ["not a date", "[Y0001]-[M01]-[D01]"],
    ]) {
      expect(await budgeted("$toMillis(t, p)", { t, p }), `${t} / ${p}`).toEqual(await plain("$toMillis(t, p)", { t, p }));
    }
    // The swap is undone.
    expect(RegExp).toBe(/x/.constructor);
  });

  it("$eval refuses a text over the limit and evaluates under it", async () => {
    const error = await limitError("$eval(t)", { t: `[${"1,".repeat(MAX_EVAL_TEXT_LENGTH / 2)}1]` });
    expect(error.message).toBe("$eval was given 100,003 characters; the limit is 100,000");
    expect(await budgeted("$eval('[1,2,3]')")).toEqual([1, 2, 3]);
    expect(await budgeted("$eval('$pad(\"\", 3, \"x\")')")).toBe("xxx");
  });

  it("$eval (on jsonata's public API) sees the caller's variables, focus and functions, and answers like jsonata's", async () => {
    for (const [text, input, bindings] of [
      ["$eval('$v.x + a', {'a': 2})", {}, { v: { x: 5 } }],
      ["$eval('a')", { a: 7 }, undefined],
      ["$eval('$')", [1, 2], undefined],
      ["($f := function($n){ $n * 3 }; $eval('$f(4)'))", {}, undefined],
      ["$eval('$eval(\"1 + 1\")')", {}, undefined],
      ["$eval(undefined)", {}, undefined],
      ["$eval('[a]', {'a': [1]})", {}, undefined],
    ] as const) {
      expect(await budgeted(text, input, bindings), text).toEqual(await plain(text, input, bindings));
    }
    // Nested through a computed text, the budgets still hold.
    const nested = await budgeted("$eval(t)", { t: `$eval("$" & "pad('', 100000000)")` }).then(
      () => undefined,
      (err: unknown) => err,
    );
    let inner = nested as { error?: unknown } | undefined;
    while (inner?.error !== undefined) inner = inner.error as { error?: unknown };
    expect(inner).toBeInstanceOf(ExpressionLimitError);
    // Errors arrive wrapped as jsonata wraps them.
    await expect(budgeted("$eval('1 +')")).rejects.toMatchObject({ code: "D3120" });
    await expect(budgeted("$eval('$number(\"x\")')")).rejects.toMatchObject({ code: "D3121", error: { code: "D3030" } });
  });

  it("the copied built-ins ($join, $trim, $substringBefore/After, $contains) answer like jsonata's, edge cases included", async () => {
    const cases = [
      "$join(['a', 'b'])", "$join(['a', 'b'], ', ')", "$join([])", "$join(nothing)", "$join('a')",
      "$trim(' \t a \n\r b  ')", "$trim('')", "$trim(' ')", "$trim(nothing)",
      "$substringBefore('a-b-c', '-')", "$substringBefore('abc', 'x')", "$substringBefore('abc', '')", "$substringAfter('a-b-c', '-')", "$substringAfter('abc', 'x')", "$substringAfter('abc', '')",
      "$uppercase(nothing)", "$lowercase('ÀB')", "$contains(nothing, 'a')", "$contains('abc', '')",
      "$contains('abc', function($s){ {'match': 'b', 'start': 1, 'end': 2, 'groups': []} })",
      "['a', 'b'].$uppercase()", "'x y'.$substringBefore(' ')",
    ];
    const json = (value: unknown) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
    for (const text of cases) expect(json(await budgeted(text)), text).toEqual(json(await plain(text)));
  });

  it("lists: ranges, paths, appends and higher-order results stop at the list limit", async () => {
    for (const text of [
      "[1..3000000]",
      "$count([1..10000000])",
      "$string([1..3000000])",
      "$map([1..2000000], function($v){ $v })",
      "$reduce([1..2000000], function($a, $b){ $a + $b })",
      "$append([1..600000], [1..600000])",
      "[1..600000, 1..600000]",
    ]) {
      await expect(budgeted(text), text).rejects.toMatchObject({ code: "D2015" });
    }
    expect(await budgeted("$count([1..1000000])")).toBe(1_000_000);
  });

  it("$sort without a comparator sorts like jsonata, in n log n", async () => {
    for (const arr of [[3, 1, 2], ["b", "a", "C", "a"], [2, 1.5, -3, 0], [5], []]) {
      expect(await budgeted("$sort(a)", { a: arr })).toEqual(await plain("$sort(a)", { a: arr }));
    }
    await expect(budgeted("$sort([1, 'a'])")).rejects.toMatchObject({ code: "D3070" });
    expect(await budgeted("$sort([3, 1, 2], function($a, $b){ $a < $b })")).toEqual([3, 2, 1]);
    // 30,000 numbers took 1.6 s with jsonata's sort, 100,000 ran out of memory.
    const sorted = (await budgeted("$sort($a)", {}, { a: Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 300_000) })) as number[];
    expect(sorted[0]).toBe(0);
    expect(sorted[299_999]).toBe(299_999);
  });

  it("$distinct, $spread, $zip, $max and $min answer like jsonata", async () => {
    const input = {
      values: [1, "1", 1, true, null, null, { a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, [1, 2], [1, 2], [2, 1], "x", 0, -0],
      objects: [{ a: 1, b: 2 }, { c: 3 }],
      one: { a: 1 },
      numbers: [3, -1, 2.5],
    };
    for (const text of [
      "$distinct(values)",
      "$distinct(values[0])",
      "$distinct([1, 2, 1])",
      "$distinct(objects.a)",
      "$spread(objects)",
      "$spread(one)",
      "$spread([one])",
      "$spread([1, one])",
      "$spread('x')",
      "$zip([1, 2, 3], ['a', 'b'])",
      "$zip([1, 2], 3)",
      "$max(numbers)",
      "$min(numbers)",
      "$max([])",
    ]) {
      expect(await budgeted(text, input), text).toEqual(await plain(text, input));
    }
    // Linear: 200,000 distinct strings, and 200,000 objects spread.
    const many = Array.from({ length: 200_000 }, (_, i) => `v${i % 150_000}`);
    expect(((await budgeted("$distinct($a)", {}, { a: many })) as string[]).length).toBe(150_000);
    const rows = Array.from({ length: 200_000 }, (_, i) => ({ [`k${i}`]: i }));
    expect(((await budgeted("$spread($a)", {}, { a: rows })) as unknown[]).length).toBe(200_000);
    expect(await budgeted("$max($a)", {}, { a: Array.from({ length: 500_000 }, (_, i) => i) })).toBe(499_999);
  });
});
