/**
 * The slice of JSON Schema that zod's `z.toJSONSchema` produces for node configs, and helpers to read
 * it. Generating forms from the JSON Schema (not from zod internals) keeps the form in step with the
 * definitions and with flows/flow.schema.json without touching zod's private API.
 */
import { z } from "zod";

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  title?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

const cache = new WeakMap<z.ZodType, JsonSchema>();

/** The config schema as JSON Schema, input side (defaults make fields optional). */
export function configJsonSchema(schema: z.ZodType): JsonSchema {
  let found = cache.get(schema);
  if (!found) {
    found = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
    cache.set(schema, found);
  }
  return found;
}

/** For a oneOf of objects: the property whose `const` tells the branches apart (auth's `direction`). */
export function discriminatorOf(schema: JsonSchema): string | undefined {
  const branches = schema.oneOf ?? schema.anyOf;
  if (!branches || branches.length === 0) return undefined;
  const first = branches[0]!.properties ?? {};
  return Object.keys(first).find((key) => branches.every((b) => b.properties?.[key]?.const !== undefined));
}

export function branchFor(schema: JsonSchema, discriminator: string, value: unknown): JsonSchema | undefined {
  const branches = schema.oneOf ?? schema.anyOf ?? [];
  return branches.find((b) => b.properties?.[discriminator]?.const === value) ?? branches[0];
}

export function isType(schema: JsonSchema, type: string): boolean {
  return Array.isArray(schema.type) ? schema.type.length === 1 && schema.type[0] === type : schema.type === type;
}

/** An object's fixed properties, or none for a record (`additionalProperties` only). */
export function isRecordSchema(schema: JsonSchema): boolean {
  return isType(schema, "object") && !schema.properties && typeof schema.additionalProperties === "object";
}

/** A config without optional keys left empty: "" and undefined mean "not set". */
export function withField(config: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const next = { ...config };
  if (value === undefined || value === "") delete next[key];
  else next[key] = value;
  return next;
}
