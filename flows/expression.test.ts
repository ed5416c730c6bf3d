import { describe, expect, it } from "vitest";
import { checkExpression, checkRegex, locateError } from "./expression";

describe("checkExpression", () => {
  it("accepts valid JSONata", () => {
    expect(checkExpression('{"Vendor_Name": vendorName}').ok).toBe(true);
  });

  it("points at the offending token with line and column", () => {
    const result = checkExpression('{"a": foo bar}');
    expect(result).toMatchObject({ ok: false, error: { code: "S0202", line: 1, column: 11, offset: 10 } });
  });

  it("counts lines and columns across newlines", () => {
    const text = '{\n  "a": foo,\n  "b": $x(\n}';
    const result = checkExpression(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ line: 4, column: 1 });
    expect(text.charAt(result.error.offset)).toBe("}");
  });

  it("reports the end of an unfinished expression", () => {
    expect(checkExpression("a +")).toMatchObject({ ok: false, error: { code: "S0207", line: 1, column: 4 } });
    expect(checkExpression('"open')).toMatchObject({ ok: false, error: { code: "S0101" } });
  });

  it("treats a blank expression as an error", () => {
    expect(checkExpression("   ")).toMatchObject({ ok: false, error: { message: "expression is empty" } });
  });
});

describe("locateError", () => {
  it("clamps odd positions into the text", () => {
    expect(locateError("abc", 99, undefined)).toEqual({ offset: 3, line: 1, column: 4 });
    expect(locateError("abc", undefined, undefined)).toEqual({ offset: 0, line: 1, column: 1 });
  });
});

describe("checkRegex", () => {
  it("compiles valid patterns and explains invalid ones", () => {
    expect(checkRegex("^PO-\\d+$").ok).toBe(true);
    expect(checkRegex("([a-z")).toMatchObject({ ok: false, message: expect.stringContaining("Invalid regular expression") });
  });
});
