import fc from "fast-check";
import jsonata from "jsonata";
import { describe, expect, it } from "vitest";
import { directMappingOf } from "./direct-mapping";
import { compileExpression, toPlainJson } from "./jsonata";

/** Field names the generated paths and inputs share, so paths find values (and sometimes not). */
const NAMES = ["a", "b", "vendorName", "GST_No", "with space", "ünï", "0", "$x", "__proto__", "constructor", "toString", "length"];
const name = fc.constantFrom(...NAMES);
const quoted = (n: string) => "`" + n + "`";

const mappingSpec = fc.uniqueArray(fc.tuple(fc.oneof(fc.string(), name), fc.array(name, { minLength: 1, maxLength: 3 })), {
  minLength: 1,
  maxLength: 6,
  selector: ([key]) => key,
});
const expressionOf = (spec: [string, string[]][]) => `{ ${spec.map(([key, path]) => `${JSON.stringify(key)}: ${path.map(quoted).join(".")}`).join(", ")} }`;

/** Inputs built from the same names: nested objects, arrays (JSONata's sequences), nulls, scalars. */
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
    fc.dictionary(name, tie("node"), { maxKeys: 5 }),
    fc.array(tie("node"), { maxLength: 3 }),
  ),
})).node;
const input = fc.oneof({ weight: 4, arbitrary: fc.dictionary(name, value, { maxKeys: 8 }) }, { weight: 1, arbitrary: value });

async function viaJsonata(text: string, data: unknown): Promise<{ value?: unknown; error?: string }> {
  try {
    return { value: toPlainJson(await jsonata(text).evaluate(data)) };
  } catch (error) {
    return { error: (error as { code?: string }).code ?? String(error) };
  }
}

async function viaFlowport(text: string, data: unknown): Promise<{ value?: unknown; error?: string }> {
  try {
    return { value: await compileExpression(text).evaluate(data) };
  } catch (error) {
    return { error: (error as { details?: { jsonataCode?: string } }).details?.jsonataCode ?? String(error) };
  }
}

describe("direct evaluation of plain field mappings", () => {
  it("takes the mapper's plain shape and nothing else", () => {
    const plain = (text: string) => directMappingOf(jsonata(text).ast()) !== undefined;
    expect(plain(`{ "Vendor_Name": vendorName, "City": address.city, "Odd key": ${quoted("with space")} }`)).toBe(true);
    for (const text of [
      `{ "A": name ~> $trim }`,
      `{ "A": $uppercase(a) }`,
      `{ "A": a[0] }`,
      `{ "A": a[b = 1].c }`,
      `{ "A": $x }`,
      `{ "A": a.* }`,
      `{ "A": a & b }`,
      `{ "A": "constant" }`,
      `{ "A": a, "A": b }`,
      `{ "__proto__": a }`,
      `{ "A": a.__proto__ }`,
      `{ "A": a }[0]`,
      `a`,
      `{ "A": { "B": b } }`,
      `$.{ "A": a }`,
    ]) {
      expect(plain(text), text).toBe(false);
    }
  });

  it("answers exactly what JSONata answers, on generated mappings and inputs", async () => {
    await fc.assert(
      fc.asyncProperty(mappingSpec, input, async (spec, data) => {
        const text = expressionOf(spec);
        expect(await viaFlowport(text, data)).toEqual(await viaJsonata(text, data));
      }),
      { numRuns: 2000 },
    );
  });

  it("hands arrays met on a path back to JSONata (its sequences flatten and map)", async () => {
    const text = `{ "Names": items.name, "First": items, "Deep": a.b.c }`;
    const data = { items: [{ name: "x" }, { name: "y" }], a: { b: [{ c: 1 }, { c: [2, 3] }] } };
    expect(directMappingOf(jsonata(text).ast())!(data)).toBeUndefined();
    expect(await compileExpression(text).evaluate(data)).toEqual({ Names: ["x", "y"], First: [{ name: "x" }, { name: "y" }], Deep: [1, 2, 3] });
  });
});
