/**
 * An entity's contract, checked on every record before it is stored: required fields present,
 * each value of its field's type (numbers finite, integers safe, dates real ISO days), strings no
 * longer than their limit, and no field the entity does not declare. The record store calls it on
 * every write path (store node, CLI, console, upserts), so a flow whose validate node forgot a rule,
 * or a replay that started after it, still cannot store an object in a name or 900,000 characters.
 * Client-safe: the designer and the OpenAPI document read the same limits.
 */
import { hasType, isAbsent } from "@/flows/nodes/validate/check";
import { DEFAULT_MAX_LENGTH, FIELD_TYPE_WORDS, type EntityDefinition, type EntityField, type FieldType } from "./entities";

/** One refused field, in the shape of the seed's `errors` list (the validate node's too). */
export interface ContractFieldError {
  field: string;
  rule: "required" | "type" | "length" | "unknown";
  code: "REQUIRED_FIELD" | "INVALID_TYPE" | "INVALID_LENGTH" | "UNKNOWN_FIELD";
  message: string;
}

export interface ContractCheckOptions {
  /**
   * An update's patch: only the fields it carries are checked (required ones may not be blanked);
   * fields it leaves out keep their stored values, which passed when they were written.
   */
  partial?: boolean;
}

/** Unknown fields listed in one answer, and the characters of each name shown. */
const MAX_UNKNOWN_LISTED = 10;
const MAX_NAME_SHOWN = 100;

/** The most characters a string field stores. */
export function maxLengthOf(field: EntityField): number {
  return field.maxLength ?? DEFAULT_MAX_LENGTH;
}

/** The validate node's type check, except that integers must also be safe (JSON and PostgreSQL keep every digit). */
function hasFieldType(type: FieldType, value: unknown): boolean {
  return type === "integer" ? Number.isSafeInteger(value) : hasType(type, value);
}

/** Characters as a person counts them (code points); a string's UTF-16 length is an upper bound. */
function tooLong(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let count = 0;
  for (const _ of text) if (++count > max) return true;
  return false;
}

/** Every way `record` breaks `entity`'s contract, in field order then unknown fields; empty when it holds. */
export function checkRecordContract(entity: EntityDefinition, record: Record<string, unknown>, options: ContractCheckOptions = {}): ContractFieldError[] {
  const errors: ContractFieldError[] = [];
  for (const field of entity.fields) {
    const present = Object.hasOwn(record, field.name);
    const value = record[field.name];
    if (isAbsent(value)) {
      if (field.required && (!options.partial || present)) {
        errors.push({ field: field.name, rule: "required", code: "REQUIRED_FIELD", message: `${field.name} is required` });
      }
      continue;
    }
    if (!hasFieldType(field.type, value)) {
      errors.push({ field: field.name, rule: "type", code: "INVALID_TYPE", message: `${field.name} must be ${FIELD_TYPE_WORDS[field.type]}` });
      continue;
    }
    if (field.type === "string" && tooLong(value as string, maxLengthOf(field))) {
      errors.push({ field: field.name, rule: "length", code: "INVALID_LENGTH", message: `${field.name} must be at most ${maxLengthOf(field)} characters` });
    }
  }
  const declared = new Set(entity.fields.map((field) => field.name));
  const unknown = Object.keys(record).filter((name) => !declared.has(name));
  // A hostile record may carry thousands of keys, each as long as it likes: the answer names a few.
  for (const name of unknown.slice(0, MAX_UNKNOWN_LISTED)) {
    const shown = name.length > MAX_NAME_SHOWN ? `${name.slice(0, MAX_NAME_SHOWN)}…` : name;
    errors.push({ field: shown, rule: "unknown", code: "UNKNOWN_FIELD", message: `${entity.name} has no field ${shown}` });
  }
  return errors;
}
