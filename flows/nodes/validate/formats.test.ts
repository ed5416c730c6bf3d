import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeRegex } from "@/flows/safe-regex";
import { FORMAT_PATTERNS, FORMAT_PRESETS, matchesFormat } from "./formats";

/**
 * The presets run on JavaScript's engine (formats.ts says why that is safe); the linear-time engine
 * that runs every user-written pattern must give the same answers, so the preset means one thing.
 */
describe("format presets", () => {
  const linear = Object.fromEntries(FORMAT_PRESETS.map((name) => [name, safeRegex(FORMAT_PATTERNS[name].source, FORMAT_PATTERNS[name].flags)]));

  const nearMisses = [
    "27ABCDE1234F1Z5", "27abcde1234f1z5", "27ABCDE1234F1Z", "ABCDE1234F", "SBIN0001234", "400001", "040001",
    "9876543210", "+91 9876543210", "+91-9876543210", "09876543210", "5876543210",
    "abc@xyz.com", "a@b", "a@b.c", "a.b@c-d.e-f.gh", "a@-b.com", "a@b-.com", `a@${"b".repeat(63)}.com`, `a@${"b".repeat(64)}.com`,
    `${"a".repeat(5_000)}@${"b".repeat(5_000)}`, `a@${"b.".repeat(5_000)}`, `a@${"b-".repeat(5_000)}!`, "",
  ];

  it("agree with the linear-time engine on near misses and long hostile inputs", () => {
    for (const name of FORMAT_PRESETS) {
      for (const value of nearMisses) expect(matchesFormat(name, value), `${name} ${value.slice(0, 40)}`).toBe(linear[name]!.test(value));
    }
  });

  it("agree with the linear-time engine on generated text", () => {
    const alphabet = fc.constantFrom(..."0123456789ABCDEFZabcz@.-+ _!".split(""));
    fc.assert(
      fc.property(fc.constantFrom(...FORMAT_PRESETS), fc.array(alphabet, { maxLength: 40 }).map((chars) => chars.join("")), (name, value) => {
        expect(matchesFormat(name, value)).toBe(linear[name]!.test(value));
      }),
      { numRuns: 2_000 },
    );
  });
});
