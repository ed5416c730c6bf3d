import { describe, expect, it } from "vitest";
import { cellValue } from "./format";

describe("cellValue", () => {
  it("groups the digits of number fields the Indian way and keeps every decimal", () => {
    expect(cellValue(125000.5, "number")).toBe("1,25,000.5");
    expect(cellValue(12345678, "integer")).toBe("1,23,45,678");
    expect(cellValue(0.125, "number")).toBe("0.125");
  });

  it("leaves other values as they are: text that looks like a number, unknown types, empties", () => {
    expect(cellValue("9876543210", "string")).toBe("9876543210");
    expect(cellValue(2025, undefined)).toBe("2025");
    expect(cellValue(null, "number")).toBe("—");
    expect(cellValue({ a: 1 })).toBe('{"a":1}');
  });
});
