/**
 * Validation rules: one schema shared by the validate node's definition (designer forms, graph
 * validation, the OpenAPI contract) and its executor. Each rule names one field and carries its own
 * error code and message; defaults follow the seed (`INVALID_GST` / "GST number is invalid").
 */
import { z } from "zod";
import { entityNameSchema, errorCodeSchema, expressionSchema, fieldPathSchema } from "../schemas";
import { FORMAT_PRESETS, type FormatPreset } from "./formats";

export const VALUE_TYPES = ["string", "number", "integer", "boolean", "date", "datetime"] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

const base = {
  field: fieldPathSchema,
  code: errorCodeSchema.optional(),
  message: z.string().min(1).max(300).optional(),
};

const requiredRule = z.strictObject({ ...base, rule: z.literal("required") });
const notEmptyRule = z.strictObject({ ...base, rule: z.literal("notEmpty") });
const typeRule = z.strictObject({ ...base, rule: z.literal("type"), type: z.enum(VALUE_TYPES) });
const regexRule = z.strictObject({
  ...base,
  rule: z.literal("regex"),
  pattern: z.string().min(1),
  // No g/y: they make RegExp.test stateful across records.
  flags: z.string().regex(/^[imsu]*$/, "flags may be i, m, s, u").optional(),
});
const lengthRule = z
  .strictObject({ ...base, rule: z.literal("length"), min: z.int().min(0).optional(), max: z.int().min(0).optional() })
  .refine((r) => r.min !== undefined || r.max !== undefined, "give min, max or both")
  .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, "min must not exceed max");
const rangeRule = z
  .strictObject({ ...base, rule: z.literal("range"), min: z.number().optional(), max: z.number().optional() })
  .refine((r) => r.min !== undefined || r.max !== undefined, "give min, max or both")
  .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, "min must not exceed max");
const enumRule = z.strictObject({
  ...base,
  rule: z.literal("enum"),
  values: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1),
  caseInsensitive: z.boolean().optional(),
});
const formatRule = z.strictObject({ ...base, rule: z.literal("format"), format: z.enum(FORMAT_PRESETS) });
const gstinChecksumRule = z.strictObject({ ...base, rule: z.literal("gstinChecksum") });
const uniqueRule = z.strictObject({
  ...base,
  rule: z.literal("unique"),
  entity: entityNameSchema,
  /** The entity's field holding the value; defaults to the rule's field. */
  entityField: fieldPathSchema.optional(),
});
const existsRule = z.strictObject({
  ...base,
  rule: z.literal("exists"),
  master: entityNameSchema,
  /** The master's field matched against the value; defaults to the master's key. */
  masterField: fieldPathSchema.optional(),
});
const customRule = z.strictObject({
  ...base,
  rule: z.literal("custom"),
  /** JSONata over the whole record, `$value` bound to the field; the rule passes when it is true. */
  condition: expressionSchema,
});

export const validationRuleSchema = z.discriminatedUnion("rule", [
  requiredRule,
  notEmptyRule,
  typeRule,
  regexRule,
  lengthRule,
  rangeRule,
  enumRule,
  formatRule,
  gstinChecksumRule,
  uniqueRule,
  existsRule,
  customRule,
]);
export type ValidationRule = z.infer<typeof validationRuleSchema>;
export type RuleKind = ValidationRule["rule"];
export type RuleOf<K extends RuleKind> = Extract<ValidationRule, { rule: K }>;

export const RULE_KINDS: readonly RuleKind[] = [
  "required",
  "notEmpty",
  "type",
  "regex",
  "length",
  "range",
  "enum",
  "format",
  "gstinChecksum",
  "unique",
  "exists",
  "custom",
];

/** Rules that need the ERP store; the executor runs them after the local ones. */
export const SERVICE_RULES: ReadonlySet<RuleKind> = new Set(["unique", "exists"]);

export const RULE_LABELS: Record<RuleKind, string> = {
  required: "Required",
  notEmpty: "Not empty",
  type: "Type",
  regex: "Pattern",
  length: "Length",
  range: "Range",
  enum: "One of",
  format: "Format",
  gstinChecksum: "GSTIN check digit",
  unique: "Unique in entity",
  exists: "Exists in master",
  custom: "Condition",
};

const FORMAT_DEFAULTS: Record<FormatPreset, { code: string; message: string }> = {
  email: { code: "INVALID_EMAIL", message: "Email address is invalid" },
  indianMobile: { code: "INVALID_MOBILE", message: "Mobile number is invalid" },
  gstin: { code: "INVALID_GST", message: "GST number is invalid" },
  pan: { code: "INVALID_PAN", message: "PAN is invalid" },
  ifsc: { code: "INVALID_IFSC", message: "IFSC is invalid" },
  pincode: { code: "INVALID_PINCODE", message: "PIN code is invalid" },
};

const TYPE_WORDS: Record<ValueType, string> = {
  string: "a string",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
  date: "a date (YYYY-MM-DD)",
  datetime: "an ISO-8601 date-time",
};

/** `City` → `CITY`, `address.pinCode` → `ADDRESS_PIN_CODE`. */
function screamingSnake(field: string): string {
  return field
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toUpperCase();
}

function describeBounds(min: number | undefined, max: number | undefined, unit: string): string {
  if (min !== undefined && max !== undefined) return min === max ? `exactly ${min}${unit}` : `between ${min} and ${max}${unit}`;
  if (min !== undefined) return `at least ${min}${unit}`;
  return `at most ${max}${unit}`;
}

/** The code and message a rule reports when it has none of its own. */
export function defaultError(rule: ValidationRule): { code: string; message: string } {
  const f = rule.field;
  switch (rule.rule) {
    case "required":
      return { code: "REQUIRED_FIELD", message: `${f} is required` };
    case "notEmpty":
      return { code: "EMPTY_FIELD", message: `${f} cannot be empty` };
    case "type":
      return { code: "INVALID_TYPE", message: `${f} must be ${TYPE_WORDS[rule.type]}` };
    case "regex":
      return { code: "INVALID_FORMAT", message: `${f} has an invalid format` };
    case "length":
      return { code: "INVALID_LENGTH", message: `${f} must be ${describeBounds(rule.min, rule.max, " characters")}` };
    case "range":
      return { code: "OUT_OF_RANGE", message: `${f} must be ${describeBounds(rule.min, rule.max, "")}` };
    case "enum":
      return { code: "INVALID_VALUE", message: `${f} must be one of ${rule.values.map(String).join(", ")}` };
    case "format":
      return FORMAT_DEFAULTS[rule.format];
    case "gstinChecksum":
      return { code: "INVALID_GST", message: "GST number is invalid" };
    case "unique":
      return { code: "DUPLICATE_RECORD", message: `${rule.entity} with this ${f} already exists` };
    case "exists":
      return {
        code: `${screamingSnake(f)}_NOT_FOUND`,
        message: f === rule.master ? `${f} not found` : `${f} not found in ${rule.master}`,
      };
    case "custom":
      return { code: "INVALID_VALUE", message: `${f} is invalid` };
  }
}

/** The error a rule reports: its own code and message, or the defaults. */
export function ruleError(rule: ValidationRule): { code: string; message: string } {
  const fallback = defaultError(rule);
  return { code: rule.code ?? fallback.code, message: rule.message ?? fallback.message };
}

/** The rule name a field error carries: the preset for formats (`gstin`), else the kind. */
export function ruleName(rule: ValidationRule): string {
  return rule.rule === "format" ? rule.format : rule.rule;
}

export function summarizeRule(rule: ValidationRule): string {
  switch (rule.rule) {
    case "type":
      return `${rule.field}: ${rule.type}`;
    case "format":
      return `${rule.field}: ${rule.format}`;
    case "unique":
      return `${rule.field}: unique in ${rule.entity}`;
    case "exists":
      return `${rule.field}: in ${rule.master}`;
    default:
      return `${rule.field}: ${RULE_LABELS[rule.rule].toLowerCase()}`;
  }
}
