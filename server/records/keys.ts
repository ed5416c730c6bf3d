/** Unique-key values of a record, normalised so equal business keys always collide. */
import { keyName, normaliseKeyPart, type EntityDefinition } from "@/flows/erp/entities";

export interface KeyValue {
  keyName: string;
  keyValue: string;
}

/** Trimmed and upper-cased: GSTINs, codes and names compare without case or stray spaces. */
export { normaliseKeyPart };

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/** The record's values for each unique key whose fields are all present. */
export function keyValuesOf(entity: EntityDefinition, data: Record<string, unknown>): KeyValue[] {
  const out: KeyValue[] = [];
  for (const fields of entity.uniqueKeys) {
    if (fields.some((field) => isBlank(data[field]))) continue;
    out.push({ keyName: keyName(fields), keyValue: fields.map((field) => normaliseKeyPart(data[field])).join("|") });
  }
  return out;
}

/** The unique key made of exactly this one field, if the entity has one. */
export function singleFieldKey(entity: EntityDefinition, field: string): string | undefined {
  const key = entity.uniqueKeys.find((fields) => fields.length === 1 && fields[0]!.toLowerCase() === field.toLowerCase());
  return key ? keyName(key) : undefined;
}
