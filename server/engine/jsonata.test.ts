import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlowError } from "./errors";
import { closeExpressionThreads, expressionThreadRuns, warmExpressionThreads } from "./expression-threads";
import { compileExpression, DEFAULT_LIMITS, jsonataBoolean, referencedVariables, toPlainJson } from "./jsonata";
import { scopeToken, SCOPE_BINDING } from "./scope";
import { resolveServices } from "./services";
import { demoErp, DEMO_NOW } from "./testing/fixtures";

// As at start-up (server/main.ts): the thread that takes over long evaluations is up and loaded.
beforeAll(warmExpressionThreads, 60_000);
afterAll(closeExpressionThreads);

async function failure(promise: Promise<unknown>): Promise<FlowError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(FlowError);
    return err as FlowError;
  }
  throw new Error("expected the evaluation to fail");
}

describe("time box and depth limit", () => {
  it("stops endless tail recursion with EXPRESSION_TIMEOUT soon after its 250 ms box, keeping the event loop responsive", async () => {
    const expr = compileExpression("($f := function($x){$f($x)}; $f(1))", { nodeId: "map", path: ["config", "expression"] });
    let timerTicks = 0;
    let immediates = 0;
    const timer = setInterval(() => timerTicks++, 5);
    let probing = true;
    const probe = () => {
      immediates++;
      if (probing) setImmediate(probe);
    };
    setImmediate(probe);
    const started = performance.now();
    const error = await failure(expr.evaluate({}));
    const elapsed = performance.now() - started;
    probing = false;
    clearInterval(timer);

    expect(error.code).toBe("EXPRESSION_TIMEOUT");
    expect(error.message).toBe("Expression timed out after 250 ms: check for an infinite loop");
    expect(error.nodeId).toBe("map");
    expect(error.details).toMatchObject({ reason: "timeout", path: ["config", "expression"] });
    // Stopped, not run on: generous for a loaded CI machine (speed is the benchmark's job).
    expect(elapsed).toBeGreaterThanOrEqual(240);
    expect(elapsed).toBeLessThan(2_000);
    // Other work ran while the expression burned its time (a blocked loop would give 0; a loaded
    // machine gives fewer ticks than an idle one, so only "more than once" is asserted).
    expect(timerTicks).toBeGreaterThanOrEqual(2);
    expect(immediates).toBeGreaterThanOrEqual(2);
  });

  it("holds the main thread for one short slice at most: a runaway evaluation burns its time box in a thread", async () => {
    const expr = compileExpression("($f := function($x){$f($x)}; $f(1))", { nodeId: "map" });
    const before = expressionThreadRuns();
    let immediates = 0;
    let probing = true;
    const probe = () => {
      immediates++;
      if (probing) setImmediate(probe);
    };
    setImmediate(probe);
    const error = await failure(expr.evaluate({}));
    probing = false;
    expect(error.code).toBe("EXPRESSION_TIMEOUT");
    expect(expressionThreadRuns()).toBe(before + 1);
    // Over ~250 ms a free event loop turns thousands of times even on a loaded machine; one that
    // yielded every 10 ms (the design before) turned ~25 times, a blocked one once.
    expect(immediates).toBeGreaterThanOrEqual(100);
  });

  it("runs a long evaluation in a thread with the execution's $lookup and clock, and a short one on the main thread", async () => {
    const scope = { [SCOPE_BINDING]: scopeToken({ services: resolveServices(demoErp()), dryRun: true, now: DEMO_NOW }) };
    const limits = { ...DEFAULT_LIMITS, timeoutMs: 10_000 };
    // 200,000 lambda calls: far past the 10 ms slice, well within the 10 s box.
    const long = compileExpression('{"state": $lookup("City", city).State, "now": $now(), "sum": $reduce([1..200000], function($a, $i){ $a + $i }, 0), "v": $vars.x}', {}, limits);
    const before = expressionThreadRuns();
    expect(await long.evaluate({ city: "Pune" }, { ...scope, vars: { x: [1, "a"] } })).toEqual({ state: "Maharashtra", now: DEMO_NOW.toISOString(), sum: 20000100000, v: [1, "a"] });
    expect(expressionThreadRuns()).toBe(before + 1);
    // Errors come back as the engine's own, with the site.
    const failing = compileExpression('($lookup("City", city); $reduce([1..200000], function($a, $i){ $a + $i }, 0); $number("x"))', { nodeId: "map", path: ["config", "expression"] }, limits);
    const error = await failure(failing.evaluate({ city: "Pune" }, scope));
    expect(error).toMatchObject({ code: "EXPRESSION_ERROR", nodeId: "map", details: { jsonataCode: "D3030", path: ["config", "expression"] } });
    const short = compileExpression('$lookup("City", city).State');
    expect(await short.evaluate({ city: "Pune" }, scope)).toBe("Maharashtra");
    expect(expressionThreadRuns()).toBe(before + 2);
  });

  it("sends an expression that is long in the thread too straight to a thread next time, and back once it is short", async () => {
    const expr = compileExpression("$reduce([1..n], function($a, $i){ $a + $i }, 0)", {}, { ...DEFAULT_LIMITS, timeoutMs: 10_000 });
    const before = expressionThreadRuns();
    expect(await expr.evaluate({ n: 200_000 })).toBe(20000100000);
    expect(expressionThreadRuns()).toBe(before + 1);
    // Straight to the thread (no slice spent here first)…
    expect(await expr.evaluate({ n: 3 })).toBe(6);
    expect(expressionThreadRuns()).toBe(before + 2);
    // …and back here once short there (at once on a quiet machine; within 7 evaluations however
    // long a loaded machine makes the thread's run look).
    for (let i = 0; i < 8; i++) expect(await expr.evaluate({ n: 3 })).toBe(6);
    expect(expressionThreadRuns()).toBeLessThanOrEqual(before + 2 + 7);
  });

  it("keeps a long evaluation whose bindings are not plain data on the main thread, with its whole time box", async () => {
    const limits = { ...DEFAULT_LIMITS, timeoutMs: 10_000 };
    const expr = compileExpression('$reduce([1..200000], function($a, $i){ $a + $i }, 0) + $f(1)', {}, limits);
    const before = expressionThreadRuns();
    // A JavaScript function cannot cross to a thread (DataCloneError): evaluated here instead.
    expect(await expr.evaluate({}, { f: (x: number) => x })).toBe(20000100001);
    expect(expressionThreadRuns()).toBe(before + 1);
  });

  it("stops deep non-tail recursion with a depth error, quickly and without a stack overflow", async () => {
    // A long time box, so a loaded machine reaches the depth limit before the clock.
    const expr = compileExpression("($f := function($x){1 + $f($x)}; $f(1))", {}, { ...DEFAULT_LIMITS, timeoutMs: 5_000 });
    const started = performance.now();
    const error = await failure(expr.evaluate({}));
    expect(error.code).toBe("EXPRESSION_TIMEOUT");
    expect(error.details.reason).toBe("depth");
    expect(error.message).toContain("maximum depth");
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("lets legitimate recursion and loops finish", async () => {
    const factorial = compileExpression("($f := function($n){$n <= 1 ? 1 : $n * $f($n - 1)}; $f(20))");
    expect(await factorial.evaluate({})).toBe(2432902008176640000);
    expect(await compileExpression("$sum([1..100000])").evaluate({})).toBe(5000050000);
  });

  it("keeps the time box per evaluation: many runs of one compiled expression never add up to a timeout", async () => {
    // Each run takes well under a millisecond; together they run far past one 500 ms box.
    const expr = compileExpression("$sum([1..200].($ * 2))", {}, { timeoutMs: 500, maxDepth: 1000, yieldEveryMs: 10 });
    const started = performance.now();
    let runs = 0;
    while (performance.now() - started < 1_200) {
      expect(await expr.evaluate({})).toBe(40200);
      runs++;
    }
    expect(runs).toBeGreaterThan(1);
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => compileExpression("$sum([1..2000])").evaluate({})));
    expect(new Set(concurrent)).toEqual(new Set([2001000]));
  });

  it("honours custom limits", async () => {
    const expr = compileExpression("($f := function($x){$f($x)}; $f(1))", {}, { timeoutMs: 20, maxDepth: 1000, yieldEveryMs: 5 });
    const started = performance.now();
    expect((await failure(expr.evaluate({}))).details.limit).toBe(20);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe("limits inside one step (EXPRESSION_LIMIT)", () => {
  const site = { nodeId: "map", path: ["config", "expression"] };

  it("refuses a function call over its limit before doing the work, naming the function and the limit", async () => {
    const error = await failure(compileExpression("$pad('', 100000000)", site).evaluate({}));
    expect(error).toMatchObject({
      code: "EXPRESSION_LIMIT",
      httpStatus: 500,
      outcome: "ERROR",
      nodeId: "map",
      message: "$pad would produce 100,000,000 characters; the limit is 4,000,000",
      details: { path: ["config", "expression"], subject: "$pad", limit: 4_000_000, unit: "characters" },
    });
  });

  it("refuses a list over the list limit, from a range or a path", async () => {
    for (const text of ["$string([1..3000000])", "[1..10000000]", "$map([1..2000000], function($v){ $v })"]) {
      const error = await failure(compileExpression(text, site).evaluate({}));
      expect(error.code, text).toBe("EXPRESSION_LIMIT");
      expect(error.message, text).toMatch(/^The expression would build a list of [\d,]+ items; the limit is 1,048,576$/);
    }
  });

  it("refuses a result larger than the text limit, however cheaply it was built", async () => {
    const error = await failure(compileExpression("($s := $pad('', 3000000, 'x'); [$s, $s])", site).evaluate({}));
    expect(error).toMatchObject({ code: "EXPRESSION_LIMIT", message: "The expression's result would be more than 4,000,000 characters; the limit is 4,000,000" });
    // Doubling by concatenation reaches what JavaScript can hold long before the time box.
    const doubled = await failure(compileExpression("$reduce([1..40], function($a, $i){ $a & $a }, 'x')", site).evaluate({}));
    expect(doubled.code).toBe("EXPRESSION_LIMIT");
  });

  it("matches regex literals in linear time: a catastrophic pattern answers", async () => {
    const expr = compileExpression("$contains(s, /^(a+)+$/)", site);
    expect(await expr.evaluate({ s: `${"a".repeat(40)}!` })).toBe(false);
    expect(await expr.evaluate({ s: "a".repeat(40) })).toBe(true);
  });

  it("stops a regex call that matches for longer than its budget", async () => {
    const error = await failure(compileExpression("$match(s, /x*y|x/)", site).evaluate({ s: "x".repeat(60_000) }));
    expect(error).toMatchObject({ code: "EXPRESSION_LIMIT", details: { subject: "regular expression /x*y|x/", limit: 250, unit: "ms" } });
  });

  it("reports what went wrong inside $eval, not the wrapper", async () => {
    const limit = await failure(compileExpression('$eval("$pad(\'\', 100000000)")', site).evaluate({}));
    expect(limit).toMatchObject({ code: "EXPRESSION_LIMIT", message: "$pad would produce 100,000,000 characters; the limit is 4,000,000" });
    const timeout = await failure(compileExpression('$eval("($f := function($x){$f($x)}; $f(1))")', site).evaluate({}));
    expect(timeout.code).toBe("EXPRESSION_TIMEOUT");
  });

  it("leaves legitimate work at full size alone: a whole 1 MiB body stringified, split and joined", async () => {
    const body = { rows: Array.from({ length: 10_000 }, (_, i) => ({ id: i, name: `Vendor ${i}`, gst: "27ABCDE1234F1Z5", amount: i * 1.5, city: "Mumbai" })) };
    expect(JSON.stringify(body).length).toBeGreaterThan(800_000);
    const expr = compileExpression("$length($join($split($string($, true), ','), ';'))", {}, { ...DEFAULT_LIMITS, timeoutMs: 5_000 });
    expect(await expr.evaluate(body)).toBe(JSON.stringify(body, null, 2).length);
  });
});

describe("sandbox", () => {
  it.each([
    ["$process", undefined],
    ['$eval("$process")', undefined],
    ["$.constructor", undefined],
    ["$type($.constructor)", undefined],
    ["$$.__proto__", undefined],
    ['"x".toString', undefined],
    ["$__flowport", undefined],
  ])("%s reaches nothing", async (text, expected) => {
    expect(await compileExpression(text).evaluate({ a: 1 })).toEqual(expected);
  });

  it.each(['$require("fs")', '$eval("$require(\\"child_process\\")")', '($f := $.constructor.constructor; $f("return process")())', "($f := $.toString; $f())"])(
    "%s cannot call into Node",
    async (text) => {
      const error = await failure(compileExpression(text).evaluate({ a: 1 }));
      expect(error.code).toBe("EXPRESSION_ERROR");
      // T1006 "attempted to invoke a non-function"; through $eval it arrives wrapped as D3121.
      expect(["T1006", "D3121"]).toContain(error.details.jsonataCode);
    },
  );

  it("exposes nothing of the execution scope to expressions", async () => {
    const token = scopeToken({ services: resolveServices(demoErp()), dryRun: true, now: DEMO_NOW });
    expect(await compileExpression("$__flowport").evaluate({}, { [SCOPE_BINDING]: token })).toEqual({});
    expect(await compileExpression("$keys($__flowport)").evaluate({}, { [SCOPE_BINDING]: token })).toBeUndefined();
  });

  it("cannot pollute Object.prototype through a __proto__ key", async () => {
    const result = await compileExpression('{"__proto__": {"polluted": true}, "a": 1}').evaluate({});
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(JSON.parse(JSON.stringify(result))).toMatchObject({ a: 1 });
  });
});

describe("errors", () => {
  it("reports syntax errors at compile time with line and column", () => {
    expect(() => compileExpression('{\n  "a": b c\n}', { nodeId: "map" })).toThrow(/line 2, column 10/);
    try {
      compileExpression("a +", { nodeId: "map" });
    } catch (err) {
      expect(err).toMatchObject({ code: "EXPRESSION_ERROR", nodeId: "map", details: { jsonataCode: "S0207", line: 1, column: 4 } });
    }
  });

  it("reports evaluation errors with jsonata's code and position", async () => {
    const error = await failure(compileExpression('\n  $number("abc")').evaluate({}));
    expect(error).toMatchObject({ code: "EXPRESSION_ERROR", details: { jsonataCode: "D3030", line: 2 } });
  });
});

describe("results", () => {
  it("are plain JSON values", async () => {
    const result = await compileExpression('{"list": items.name, "fn": function($x){$x}, "nan": 1/0 = 1/0, "n": $number("1e3")}').evaluate({ items: [{ name: "a" }, { name: "b" }] });
    expect(result).toEqual({ list: ["a", "b"], nan: true, n: 1000 });
    expect(Array.isArray((result as { list: unknown }).list)).toBe(true);
    expect(Object.getOwnPropertyNames((result as { list: object }).list)).toEqual(["0", "1", "length"]);
  });

  it("drop undefined and non-finite values the way JSON does", () => {
    expect(toPlainJson({ a: undefined, b: [undefined, Number.POSITIVE_INFINITY], c: () => 1 })).toEqual({ b: [null, null] });
  });

  it("follow JSONata truthiness in jsonataBoolean", () => {
    expect([undefined, null, "", 0, [], {}, [0, ""], false].map(jsonataBoolean)).toEqual([false, false, false, false, false, false, false, false]);
    expect(["a", 1, [0, 1], { a: 1 }, true].map(jsonataBoolean)).toEqual([true, true, true, true, true]);
  });
});

describe("Flowport functions", () => {
  const scoped = (services = demoErp()) => ({ [SCOPE_BINDING]: scopeToken({ services: resolveServices(services), dryRun: true, now: DEMO_NOW }) });

  it("$gstinValid checks the format, or the check digit too when strict", async () => {
    const expr = compileExpression("[$gstinValid(a), $gstinValid(a, true), $gstinValid(b, true), $gstinValid(c)]");
    expect(await expr.evaluate({ a: "27ABCDE1234F1Z5", b: "27AAPFU0939F1ZV", c: "nope" })).toEqual([true, false, true, false]);
  });

  it("$formatDate and $parseDate use ERP-style pictures", async () => {
    const expr = compileExpression(
      '[$formatDate("2025-12-12", "DD/MM/YYYY"), $formatDate("2025-12-12T18:00:00Z", "DD-MMM-YYYY HH:mm", "Asia/Kolkata"), $parseDate("12/12/2025", "DD/MM/YYYY"), $parseDate("05 Jan 2026 09:30", "DD MMM YYYY HH:mm"), $parseDate("31/02/2025", "DD/MM/YYYY")]',
    );
    expect(await expr.evaluate({})).toEqual(["12/12/2025", "12-Dec-2025 23:30", "2025-12-12", "2026-01-05T09:30:00"]);
  });

  it("$now and $millis read the execution's clock; $now keeps JSONata's pictures", async () => {
    const expr = compileExpression('[$now(), $millis(), $now("[Y0001]-[M01]-[D01]")]');
    expect(await expr.evaluate({}, scoped())).toEqual([DEMO_NOW.toISOString(), DEMO_NOW.getTime(), "2025-12-12"]);
  });

  it("$uuid gives a fresh UUID each call", async () => {
    const [a, b] = (await compileExpression("[$uuid(), $uuid()]").evaluate({})) as string[];
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });

  it("$lookup(entity, key) reads the ERP through the services", async () => {
    const expr = compileExpression('{"state": $lookup("City", city).State, "vendor": $lookup("Vendor", gst).Vendor_Name, "none": $lookup("City", "Atlantis")}');
    expect(await expr.evaluate({ city: "Pune", gst: "27AAFCS1234M1Z9" }, scoped())).toEqual({ state: "Maharashtra", vendor: "Shree Cement Traders" });
  });

  it("$lookup(object, key) keeps JSONata's own meaning", async () => {
    expect(await compileExpression('$lookup({"a": 1}, "a")').evaluate({})).toBe(1);
    expect(await compileExpression('$lookup([{"a": 1}, {"a": 2}], "a")').evaluate({})).toEqual([1, 2]);
  });

  it("$lookup without services fails with the typed 'not available' error", async () => {
    const error = await failure(compileExpression('$lookup("City", "Pune")').evaluate({}));
    expect(error).toMatchObject({ code: "INTERNAL_ERROR", message: "records.lookup is not available" });
  });
});

describe("bindings", () => {
  it("passes on only the variables an expression reads", async () => {
    expect(referencedVariables('{"A": a}')).toEqual([]);
    expect(referencedVariables('$vars.city.State & $trim(x) & $lookup("City", c)')).toEqual(["vars", "trim", SCOPE_BINDING]);
    expect(referencedVariables('$eval("$vars")')).toBe("all");
    const expr = compileExpression('{"v": $vars.x, "t": $trigger.y}');
    expect(await expr.evaluate({}, { vars: { x: 1 }, trigger: { y: 2 }, headers: { secret: "s" } })).toEqual({ v: 1, t: 2 });
  });

  it("gives $eval every binding", async () => {
    expect(await compileExpression('$eval("$vars.x")').evaluate({}, { vars: { x: 5 } })).toBe(5);
  });
});
