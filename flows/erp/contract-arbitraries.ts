/**
 * fast-check records for an entity, each labelled with what the contract must say about it: every
 * field is left out, null, a value of its type, or a value that breaks it (another type, one
 * character over its limit, an impossible date), and sometimes an undeclared field rides along.
 * The label is worked out here from the choices, not by calling the checker, so a test compares
 * two independent answers. Used by the pure contract test and the store's test over real HTTP.
 */
import fc from "fast-check";
import type { EntityDefinition, EntityField } from "./entities";
import { maxLengthOf } from "./contract";

export interface LabelledRecord {
  record: Record<string, unknown>;
  /** Fields the contract must name in its errors (required ones left out, bad values, the extra field). */
  refused: string[];
}

const notBlank = (s: string) => s.trim() !== "";
const date = fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2999-12-31T23:59:59Z"), noInvalidDate: true });

function validValue(field: EntityField): fc.Arbitrary<unknown> {
  switch (field.type) {
    case "string": {
      const max = maxLengthOf(field);
      return fc.oneof(fc.string({ minLength: 1, maxLength: Math.min(max, 40) }).filter(notBlank), fc.constant("é".repeat(max)));
    }
    case "number":
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 });
    case "integer":
      return fc.oneof(fc.integer(), fc.constant(Number.MAX_SAFE_INTEGER), fc.constant(-Number.MAX_SAFE_INTEGER));
    case "boolean":
      return fc.boolean();
    case "date":
      return date.map((d) => d.toISOString().slice(0, 10));
    case "datetime":
      return date.map((d) => d.toISOString());
  }
}

/** Values that survive JSON (the store test sends them over HTTP), none blank: blank means missing. */
function invalidValue(field: EntityField): fc.Arbitrary<unknown> {
  const text = fc.string({ minLength: 1, maxLength: 12 }).filter(notBlank);
  const structured = fc.oneof(fc.constant({ nested: "object" }), fc.constant(["an", "array"]), fc.constant([]), fc.constant({}));
  switch (field.type) {
    case "string":
      return fc.oneof(fc.integer(), fc.boolean(), structured, fc.constant("y".repeat(maxLengthOf(field) + 1)));
    case "number":
      return fc.oneof(text, fc.boolean(), structured);
    case "integer":
      return fc.oneof(fc.constant(1.5), fc.constant(2 ** 53), text, structured);
    case "boolean":
      return fc.oneof(fc.constant("true"), fc.integer(), structured);
    case "date":
      return fc.oneof(fc.constantFrom("2025-02-30", "12/12/2025", "2025-12-12T10:00:00Z", "2025-1-5"), fc.integer(), structured);
    case "datetime":
      return fc.oneof(fc.constantFrom("2025-12-12 10:00", "2025-13-01T00:00:00Z", "2025-12-12T24:00:00Z", "2025-12-12"), fc.integer(), structured);
  }
}

type Choice = "omit" | "null" | "valid" | "invalid";
interface Chosen {
  field: EntityField;
  choice: Choice;
  value: unknown;
}

export function labelledRecord(entity: EntityDefinition): fc.Arbitrary<LabelledRecord> {
  const fields = entity.fields.map(
    (field): fc.Arbitrary<Chosen> =>
      fc.constantFrom<Choice>("omit", "null", "valid", "valid", "valid", "invalid").chain((choice): fc.Arbitrary<Chosen> => {
        if (choice === "valid") return validValue(field).map((value) => ({ field, choice, value }));
        if (choice === "invalid") return invalidValue(field).map((value) => ({ field, choice, value }));
        return fc.constant({ field, choice, value: null });
      }),
  );
  return fc.tuple(fc.tuple(...fields), fc.boolean(), fc.nat(9)).map(([chosen, extra, rare]) => {
    const record: Record<string, unknown> = {};
    const refused: string[] = [];
    for (const { field, choice, value } of chosen) {
      if (choice !== "omit") record[field.name] = value;
      if (choice === "invalid" || (field.required && (choice === "omit" || choice === "null"))) refused.push(field.name);
    }
    // One record in ten carries a field the entity does not declare.
    if (extra && rare === 0) {
      record.Not_A_Field = "x";
      refused.push("Not_A_Field");
    }
    return { record, refused };
  });
}
