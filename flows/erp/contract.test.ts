import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkRecordContract, maxLengthOf } from "./contract";
import { labelledRecord } from "./contract-arbitraries";
import { DEFAULT_MAX_LENGTH, ENTITIES, findEntity, type EntityDefinition } from "./entities";

/** Every field type once, required and optional, with and without a limit of its own. */
const EVERY_TYPE: EntityDefinition = {
  name: "Probe",
  label: "Probe",
  kind: "record",
  fields: [
    { name: "Code", label: "Code", type: "string", required: true, maxLength: 12 },
    { name: "Notes", label: "Notes", type: "string" },
    { name: "Amount", label: "Amount", type: "number", required: true },
    { name: "Count", label: "Count", type: "integer" },
    { name: "Active", label: "Active", type: "boolean" },
    { name: "On", label: "On", type: "date", required: true },
    { name: "At", label: "At", type: "datetime" },
  ],
  uniqueKeys: [],
  series: { prefix: "P-", start: 1 },
  titleField: "Code",
};

describe("checkRecordContract", () => {
  it("accepts exactly the records whose every field holds (generated: all six field types)", () => {
    fc.assert(
      fc.property(labelledRecord(EVERY_TYPE), ({ record, refused }) => {
        const errors = checkRecordContract(EVERY_TYPE, record);
        expect(errors.map((e) => e.field)).toEqual(refused);
      }),
      { numRuns: 500 },
    );
  });

  it("does the same for every shipped entity", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ENTITIES).chain((entity) => labelledRecord(entity).map((r) => ({ entity, ...r }))), ({ entity, record, refused }) => {
        expect(checkRecordContract(entity, record).map((e) => e.field)).toEqual(refused);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses what JSON cannot carry but code can: NaN, Infinity, unsafe integers", () => {
    const codes = (record: Record<string, unknown>) => checkRecordContract(EVERY_TYPE, { Code: "A", Amount: 1, On: "2025-01-01", ...record }).map((e) => e.code);
    expect(codes({ Amount: Number.NaN })).toEqual(["INVALID_TYPE"]);
    expect(codes({ Amount: Number.POSITIVE_INFINITY })).toEqual(["INVALID_TYPE"]);
    expect(codes({ Count: 2 ** 53 })).toEqual(["INVALID_TYPE"]);
    expect(codes({ Count: 2 ** 53 - 1 })).toEqual([]);
  });

  it("counts characters as code points and defaults strings to 1,000", () => {
    expect(maxLengthOf(EVERY_TYPE.fields[1]!)).toBe(DEFAULT_MAX_LENGTH);
    const base = { Code: "A", Amount: 1, On: "2025-01-01" };
    expect(checkRecordContract(EVERY_TYPE, { ...base, Code: "😀".repeat(12) })).toEqual([]);
    expect(checkRecordContract(EVERY_TYPE, { ...base, Code: "😀".repeat(13) })).toEqual([
      { field: "Code", rule: "length", code: "INVALID_LENGTH", message: "Code must be at most 12 characters" },
    ]);
    expect(checkRecordContract(EVERY_TYPE, { ...base, Notes: "n".repeat(1001) }).map((e) => e.code)).toEqual(["INVALID_LENGTH"]);
  });

  it("names a few unknown fields, cut short, however many a record carries", () => {
    const record: Record<string, unknown> = { Code: "A", Amount: 1, On: "2025-01-01" };
    for (let i = 0; i < 5000; i++) record[`${"k".repeat(500)}${i}`] = i;
    const errors = checkRecordContract(EVERY_TYPE, record);
    expect(errors).toHaveLength(10);
    expect(errors[0]!.field.length).toBeLessThanOrEqual(101);
  });

  it("gives the shipped entities realistic limits", () => {
    const limit = (entity: string, field: string) => maxLengthOf(findEntity(entity)!.fields.find((f) => f.name === field)!);
    expect([limit("Vendor", "GST_No"), limit("Vendor", "PAN_No"), limit("Vendor", "Phone_No"), limit("Vendor", "Email"), limit("Vendor", "Address")]).toEqual([15, 10, 20, 254, 2000]);
  });
});
