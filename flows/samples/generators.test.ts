import { describe, expect, it } from "vitest";
import { gstinChecksumValid, matchesFormat } from "../nodes/validate/formats";
import { hasGenerators, resolveGenerators, resolveSample, SampleGeneratorError, shapeForField } from "./generators";

const NOW = new Date("2026-03-04T05:06:07.089Z");

describe("sample generators", () => {
  it("shapes {{unique}} by its field: a GSTIN field gets a valid GSTIN with its check character", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const { value } = resolveGenerators({ gstNumber: "{{unique}}", GST_No: "{{unique}}", pan: "{{unique}}", mobile: "{{unique}}", email: "{{unique}}", pincode: "{{unique}}" });
      expect(gstinChecksumValid(value.gstNumber), value.gstNumber).toBe(true);
      expect(gstinChecksumValid(value.GST_No)).toBe(true);
      expect(matchesFormat("pan", value.pan)).toBe(true);
      expect(matchesFormat("indianMobile", value.mobile)).toBe(true);
      expect(matchesFormat("email", value.email)).toBe(true);
      expect(matchesFormat("pincode", value.pincode)).toBe(true);
      seen.add(value.gstNumber);
    }
    expect(seen.size).toBe(200);
  });

  it("an explicit shape wins over the field name; inside a longer text it is a plain token", () => {
    const { value, generated } = resolveGenerators({ ref: "{{unique:gstin}}", grn: "SITE-A/GRN/{{unique}}", note: "{{ unique:ifsc }}" });
    expect(gstinChecksumValid(value.ref)).toBe(true);
    expect(value.grn).toMatch(/^SITE-A\/GRN\/[0-9A-Z]{10,}$/);
    expect(matchesFormat("ifsc", value.note)).toBe(true);
    expect(generated.map((g) => [g.path, g.text])).toEqual([
      ["ref", "{{unique:gstin}}"],
      ["grn", "SITE-A/GRN/{{unique}}"],
      ["note", "{{ unique:ifsc }}"],
    ]);
    expect(() => resolveGenerators({ a: "{{unique:iban}}" })).toThrow(SampleGeneratorError);
  });

  it("{{today}}, {{now}} and {{uuid}} read the run's clock and Web Crypto; nested arrays keep their paths", () => {
    const { value, generated } = resolveGenerators({ punches: [{ at: "{{now}}", day: "{{today}}", id: "{{uuid}}" }] }, { now: NOW });
    expect(value.punches[0]).toMatchObject({ at: "2026-03-04T05:06:07.089Z", day: "2026-03-04" });
    expect(value.punches[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(generated[0]).toEqual({ path: "punches[0].at", text: "{{now}}", value: "2026-03-04T05:06:07.089Z" });
  });

  it("leaves values without generators alone (same object shape, numbers stay numbers)", () => {
    const payload = { a: "{{ not a generator }}", b: 4, c: [true, null], d: "{unique}" };
    expect(hasGenerators(payload)).toBe(false);
    expect(resolveGenerators(payload)).toEqual({ value: payload, generated: [] });
  });

  it("an expectation reads the generated payload through {{payload.…}}, with the same clock", () => {
    const { sample, generated } = resolveSample(
      { name: "s", payload: { gstNumber: "{{unique}}", qty: 4, day: "{{today}}" }, expect: { status: "SUCCESS", record: { GST_No: "{{payload.gstNumber}}", Qty: "{{payload.qty}}", Day: "{{today}}" } } },
      { now: NOW },
    );
    const gst = (sample.payload as { gstNumber: string }).gstNumber;
    expect(sample.expect).toEqual({ status: "SUCCESS", record: { GST_No: gst, Qty: 4, Day: "2026-03-04" } });
    expect(generated.map((g) => g.path)).toEqual(["gstNumber", "day", "expect.record.GST_No", "expect.record.Qty", "expect.record.Day"]);
    expect(() => resolveSample({ payload: {}, expect: { record: { X: "{{payload.nothing}}" } } })).toThrow(/the payload has no nothing/);
  });

  it("example mode gives stable documentation values (OpenAPI examples do not change per load)", () => {
    const a = resolveGenerators({ gstNumber: "{{unique}}", id: "{{uuid}}" }, { example: true }).value;
    expect(a).toEqual({ gstNumber: "27ABCDE1234F1Z5", id: "00000000-0000-4000-8000-000000000000" });
  });

  it("chooses shapes from common field names", () => {
    expect(["gstNumber", "GST_No", "vendorGst", "gstin"].map(shapeForField)).toEqual(["gstin", "gstin", "gstin", "gstin"]);
    expect(["PAN_No", "mobile", "Phone_No", "email", "pincode", "ifscCode", "grnRef", undefined].map(shapeForField)).toEqual(["pan", "mobile", "mobile", "email", "pincode", "ifsc", "text", "text"]);
  });
});
