import { describe, expect, it } from "vitest";
import { compileFieldPath, compileLocalCheck, isAbsent } from "./check";
import { FORMAT_PATTERNS, gstinCheckCharacter, gstinChecksumValid, matchesFormat } from "./formats";
import { defaultError, ruleError, validationRuleSchema, type ValidationRule } from "./rules";

function check(rule: Record<string, unknown>) {
  const parsed = validationRuleSchema.parse({ field: "F", ...rule });
  const local = compileLocalCheck(parsed)!;
  return (value: unknown) => local(value);
}

/** rule → values that pass, values that fail. */
const table: [string, Record<string, unknown>, unknown[], unknown[]][] = [
  ["required", { rule: "required" }, ["x", 0, false, [], "  y "], [undefined, null, "", "   ", "\t\n"]],
  ["notEmpty", { rule: "notEmpty" }, ["x", 1, undefined, null], ["", "  ", [], {}]],
  ["type string", { rule: "type", type: "string" }, ["", "abc"], [1, true, null, {}]],
  ["type number", { rule: "type", type: "number" }, [0, -1.5, 85000], ["85000", Number.NaN, Infinity, true]],
  ["type integer", { rule: "type", type: "integer" }, [0, 42, -7], [1.5, "3", Number.NaN]],
  ["type boolean", { rule: "type", type: "boolean" }, [true, false], ["true", 0, 1]],
  ["type date", { rule: "type", type: "date" }, ["2025-12-12", "2024-02-29"], ["2025-02-29", "2025-13-01", "12/12/2025", "2025-12-12T10:00:00Z", 20251212]],
  [
    "type datetime",
    { rule: "type", type: "datetime" },
    ["2025-12-12T10:30:00Z", "2025-12-12T10:30:00.123+05:30", "2025-12-12T10:30", "2025-12-12T23:59:59-0800"],
    ["2025-12-12", "2025-12-12 10:30:00", "2025-12-12T25:00:00Z", "2025-02-30T10:00:00Z", "yesterday"],
  ],
  ["regex", { rule: "regex", pattern: "^PO-\\d{4,}$" }, ["PO-1234", "PO-123456"], ["PO-12", "po-1234", 1234]],
  ["regex with flags", { rule: "regex", pattern: "^po-\\d+$", flags: "i" }, ["PO-1", "po-22"], ["PO-"]],
  // The linear-time engine: 31–40 × "a" + "!" froze the process for 78 s and more on the backtracking one.
  ["catastrophic regex answers", { rule: "regex", pattern: "^(a+)+$" }, ["a".repeat(40), "a"], [`${"a".repeat(31)}!`, `${"a".repeat(40)}!`, `${"a".repeat(100_000)}!`]],
  ["regex whitespace is JavaScript's", { rule: "regex", pattern: "^\\S+$" }, ["ABC"], ["A\u00a0B", "A B"]],
  ["length min/max", { rule: "length", min: 2, max: 5 }, ["ab", "abcde", [1, 2], 123], ["a", "abcdef", [1], true]],
  ["length counts characters", { rule: "length", max: 3 }, ["₹₹₹", "नमस"], ["abcd"]],
  ["range", { rule: "range", min: 0, max: 100 }, [0, 50.5, 100], [-0.01, 100.01, "50", Number.NaN]],
  ["range min only", { rule: "range", min: 0.001 }, [0.001, 400], [0, -1]],
  ["enum", { rule: "enum", values: ["IN", "OUT", 1, true] }, ["IN", "OUT", 1, true], ["in", "SIDEWAYS", "1", false]],
  ["enum case-insensitive", { rule: "enum", values: ["Website", "Referral"], caseInsensitive: true }, ["website", "REFERRAL"], ["web"]],
  ["email", { rule: "format", format: "email" }, ["abc@xyz.com", "first.last+tag@mail.example.co.in"], ["abc@", "abc@xyz", "a b@xyz.com", "@xyz.com", "abc@xyz..com"]],
  [
    "indian mobile",
    { rule: "format", format: "indianMobile" },
    ["9876543210", "6000000000", "+919876543210", "+91 9876543210", "+91-9876543210", "09876543210", 9876543210],
    ["5876543210", "987654321", "98765432101", "+929876543210", "919876543210", "98765 43210"],
  ],
  [
    "GSTIN format",
    { rule: "format", format: "gstin" },
    ["27ABCDE1234F1Z5", "27AAPFU0939F1ZV", "29AAGCB7383J1Z4"],
    ["27ABCDE1234F1Z", "27abcde1234f1z5", "27ABCDE1234F1X5", "27ABCDE1234F0Z5", "ABCDE1234F1Z527"],
  ],
  ["GSTIN checksum", { rule: "gstinChecksum" }, ["27AAPFU0939F1ZV", "29AAGCB7383J1Z4", "33AAACH7409R1Z8"], ["27ABCDE1234F1Z5", "27AAPFU0939F1ZW", "not a gstin"]],
  ["PAN", { rule: "format", format: "pan" }, ["ABCDE1234F", "AAPFU0939F"], ["ABCDE1234", "abcde1234f", "ABCD12345F"]],
  ["IFSC", { rule: "format", format: "ifsc" }, ["SBIN0001234", "HDFC0ABC123"], ["SBIN1001234", "SBI0001234", "sbin0001234"]],
  ["PIN code", { rule: "format", format: "pincode" }, ["400001", "560034", 110001], ["040001", "40001", "4000011", "40000A"]],
];

describe("validation rules", () => {
  it.each(table)("%s", (_name, rule, passing, failing) => {
    const test = check(rule);
    for (const value of passing) expect(test(value), `should pass: ${JSON.stringify(value)}`).toBe(true);
    for (const value of failing) expect(test(value), `should fail: ${String(value)}`).toBe(false);
  });

  it("keeps the format presets' meaning on the linear-time engine", () => {
    const samples = ["ramesh.sharma@example.co.in", "a@b", "x@-a.com", "9876543210", "+91 9876543210", "27ABCDE1234F1Z5", "ABCDE1234F", "SBIN0001234", "400001", ""];
    for (const format of ["email", "indianMobile", "gstin", "pan", "ifsc", "pincode"] as const) {
      const native = new RegExp(FORMAT_PATTERNS[format].source, FORMAT_PATTERNS[format].flags);
      for (const value of samples) expect(matchesFormat(format, value), `${format} on ${value}`).toBe(native.test(value));
    }
  });

  it("refuses to compile a pattern the engine cannot run (graph validation reports it first)", () => {
    expect(() => check({ rule: "regex", pattern: "(a)\\1" })).toThrow("Invalid pattern for F: Backreference \\1 is not supported");
  });

  it("needs services or JSONata for unique, exists and custom", () => {
    for (const rule of [{ rule: "unique", entity: "Vendor" }, { rule: "exists", master: "City" }, { rule: "custom", condition: "true" }]) {
      expect(compileLocalCheck(validationRuleSchema.parse({ field: "F", ...rule }))).toBeUndefined();
    }
  });

  it("treats missing, null and whitespace-only as absent", () => {
    expect([undefined, null, "", "  "].map(isAbsent)).toEqual([true, true, true, true]);
    expect([0, false, "x", []].map(isAbsent)).toEqual([false, false, false, false]);
  });
});

describe("GSTIN check character", () => {
  it("computes the mod-36 check character", () => {
    expect(gstinCheckCharacter("27AAPFU0939F1Z")).toBe("V");
    expect(gstinCheckCharacter("29AAGCB7383J1Z")).toBe("4");
  });

  it("passes the seed's sample on format alone, as the seed expects", () => {
    expect(matchesFormat("gstin", "27ABCDE1234F1Z5")).toBe(true);
    expect(gstinChecksumValid("27ABCDE1234F1Z5")).toBe(false);
  });
});

describe("default codes and messages", () => {
  const rule = (r: Record<string, unknown>) => validationRuleSchema.parse({ field: "City", ...r }) as ValidationRule;

  it("follow the seed", () => {
    expect(defaultError(rule({ field: "GST_No", rule: "format", format: "gstin" }))).toEqual({ code: "INVALID_GST", message: "GST number is invalid" });
    expect(defaultError(rule({ rule: "required" })).code).toBe("REQUIRED_FIELD");
    expect(defaultError(rule({ rule: "format", format: "email" })).code).toBe("INVALID_EMAIL");
    expect(defaultError(rule({ rule: "format", format: "indianMobile" })).code).toBe("INVALID_MOBILE");
    expect(defaultError(rule({ rule: "exists", master: "City" }))).toEqual({ code: "CITY_NOT_FOUND", message: "City not found" });
    expect(defaultError(rule({ field: "Project_Code", rule: "exists", master: "Project" })).code).toBe("PROJECT_CODE_NOT_FOUND");
    expect(defaultError(rule({ field: "GST_No", rule: "unique", entity: "Vendor" })).code).toBe("DUPLICATE_RECORD");
    expect(defaultError(rule({ rule: "length", min: 2, max: 2 })).message).toBe("City must be exactly 2 characters");
    expect(defaultError(rule({ rule: "range", min: 1 })).message).toBe("City must be at least 1");
  });

  it("give way to the rule's own", () => {
    expect(ruleError(rule({ rule: "required", code: "CITY_MISSING", message: "Tell us the city" }))).toEqual({ code: "CITY_MISSING", message: "Tell us the city" });
  });
});

describe("field paths", () => {
  it("read nested fields and own properties only", () => {
    expect(compileFieldPath("a.b.0")({ a: { b: ["x"] } })).toBe("x");
    expect(compileFieldPath("a.c")({ a: { b: 1 } })).toBeUndefined();
    expect(compileFieldPath("constructor")({})).toBeUndefined();
    expect(compileFieldPath("a.constructor")({ a: {} })).toBeUndefined();
  });
});
