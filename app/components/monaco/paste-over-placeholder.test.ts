import { describe, expect, it } from "vitest";
import { pasteReplacesPlaceholder } from "./paste-over-placeholder";

const sample = JSON.stringify({ vendorName: "ABC Suppliers", gstNumber: "27ABCDE1234F1Z5" }, null, 2);

describe("pasting a JSON document over an empty {} or []", () => {
  it("replaces the placeholder when the paste lands inside or beside the braces", () => {
    expect(pasteReplacesPlaceholder("{", sample, "}")).toBe(true);
    expect(pasteReplacesPlaceholder("{}", sample, "")).toBe(true);
    expect(pasteReplacesPlaceholder("", sample, "{}\n")).toBe(true);
    expect(pasteReplacesPlaceholder("{\n  ", "[1, 2]", "\n}")).toBe(true);
  });

  it("leaves a paste alone when its result is JSON, when the editor held more, or when the paste is not a document", () => {
    // An object pasted into an empty array is a valid one-element array.
    expect(pasteReplacesPlaceholder("[", sample, "]")).toBe(false);
    // A member pasted into the braces.
    expect(pasteReplacesPlaceholder("{", '"city": "Pune"', "}")).toBe(false);
    expect(pasteReplacesPlaceholder('{"a": 1, ', sample, "}")).toBe(false);
    expect(pasteReplacesPlaceholder("{", "42", "}")).toBe(false);
    expect(pasteReplacesPlaceholder("{", "null", "}")).toBe(false);
    expect(pasteReplacesPlaceholder("{", '{"broken": ', "}")).toBe(false);
  });
});
