/**
 * The request half of an incoming flow's OpenAPI contract, read from what the version runs: the map
 * expression's reads (flows/mapper/model.ts) are the parameters, the entity's contract
 * (flows/erp/contract.ts) and the validate rules on the ERP fields they feed become JSON Schema
 * constraints on them, lookups add their notes, and the flow's valid samples are the examples.
 */
import { resolveGenerators } from "@/flows/samples/generators";
import { maxLengthOf } from "@/flows/erp/contract";
import { findEntity, type FieldType } from "@/flows/erp/entities";
import type { FlowFile, FlowNode } from "@/flows/format";
import { mappedFields } from "@/flows/mapper/model";
import { capabilityOf, firstWith, hasCapability } from "@/flows/nodes/registry";
import { triggerHttpConfigSchema, type TriggerHttpConfig } from "@/flows/nodes/trigger.http/definition";
import { FORMAT_LABELS, FORMAT_PATTERNS } from "@/flows/nodes/validate/formats";
import { ruleError, type ValidationRule, type ValueType } from "@/flows/nodes/validate/rules";
import { camelCaseSlug } from "./openapi-responses";
import type { JsonSchema, OpenApiExample } from "./openapi-types";

/**
 * One source → ERP field pairing of the map node. `direct` when the value is copied unchanged;
 * `shared` when the target is made of several inputs (a concatenation), so no rule of the target
 * binds any one of them. A read with no target (an expression that is not an object of fields) is
 * a row without `target`: a request field all the same.
 */
interface SourceRow {
  /** Path into the request item (or into the whole body when `scope` is "body"). */
  path: string[];
  scope: "item" | "body";
  target?: string;
  direct: boolean;
  shared: boolean;
  transform?: string;
}

interface Param {
  path: string[];
  scope: "item" | "body";
  erpFields: string[];
  direct: boolean;
  transform?: string;
  required: boolean;
  schema: JsonSchema;
  patterns: string[];
  notes: string[];
}

const PLAIN_PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

function splitPath(source: string): string[] | undefined {
  const text = source.trim().replace(/`/g, "");
  return PLAIN_PATH.test(text) && !text.startsWith("$") ? text.split(".") : undefined;
}

/**
 * The map node as source → target rows, from what it runs: its expression, read by the mapping
 * model (flows/mapper/model.ts), never the designer's stored table, which may lag behind.
 */
function mapRows(expression: string): SourceRow[] {
  const { fields, reads } = mappedFields(expression);
  const rows: SourceRow[] = fields.flatMap((field) =>
    field.reads.map((read) => ({ ...read, target: field.target, direct: field.direct, shared: field.reads.length > 1, transform: field.transform })),
  );
  const covered = new Set(rows.map((r) => `${r.scope}:${r.path.join(".")}`));
  for (const read of reads) if (!covered.has(`${read.scope}:${read.path.join(".")}`)) rows.push({ ...read, direct: false, shared: true });
  return rows;
}

/** What an integer can be in JSON without losing digits (the entity contract's safe integers). */
const SAFE_INTEGER = { format: "int64", minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };

const TYPE_SCHEMA: Record<ValueType | FieldType, JsonSchema> = {
  string: { type: "string" },
  number: { type: "number" },
  integer: { type: "integer", ...SAFE_INTEGER },
  boolean: { type: "boolean" },
  // YYYY-MM-DD, and the longest date-time the type check accepts (nanoseconds and an offset).
  date: { type: "string", format: "date", maxLength: 10 },
  datetime: { type: "string", format: "date-time", maxLength: 35 },
};

/** Sets a bound unless a tighter one is already there (a length rule and the entity both limit a field). */
function tighten(schema: JsonSchema, key: "maxLength" | "maxItems", value: number): void {
  const current = schema[key];
  schema[key] = typeof current === "number" ? Math.min(current, value) : value;
}

const STRING_TRANSFORMS = new Set(["$trim", "$lowercase", "$uppercase"]);

/** Nodes in the order a call meets them (breadth-first from the trigger). */
function nodesInOrder(flow: FlowFile, trigger: FlowNode): FlowNode[] {
  const byId = new Map(flow.nodes.map((n) => [n.id, n]));
  const seen = new Set([trigger.id]);
  const order = [trigger];
  for (let i = 0; i < order.length; i++) {
    for (const edge of flow.edges) {
      if (edge.source !== order[i]!.id || seen.has(edge.target)) continue;
      const next = byId.get(edge.target);
      if (!next) continue;
      seen.add(next.id);
      order.push(next);
    }
  }
  return order;
}

function ruleNote(rule: ValidationRule): string | undefined {
  switch (rule.rule) {
    case "required":
      return "required, must not be blank";
    case "notEmpty":
      return "must not be blank when given";
    case "type":
      return `type ${rule.type}`;
    case "regex":
      return `must match /${rule.pattern}/${rule.flags ?? ""}`;
    case "length":
      return `length ${rule.min ?? 0}..${rule.max ?? "∞"}`;
    case "range":
      return `value ${rule.min ?? "-∞"}..${rule.max ?? "∞"}`;
    case "enum":
      return `one of ${rule.values.map(String).join(", ")}${rule.caseInsensitive ? " (any letter case)" : ""}`;
    case "format":
      return `${FORMAT_LABELS[rule.format]} format`;
    case "gstinChecksum":
      return "valid GSTIN check character";
    case "unique":
      return `must be unique among ${rule.entity} records`;
    case "exists":
      return `must exist in the ${rule.master} master`;
    case "custom":
      return `must satisfy ${rule.condition}`;
  }
}

/** Puts a rule's constraint on the parameter's schema; transformed values only get words. */
function applyRule(param: Param, rule: ValidationRule): void {
  const { code } = ruleError(rule);
  const note = ruleNote(rule);
  if (rule.rule === "required") param.required = true;
  if (!param.direct && rule.rule !== "required") {
    param.notes.push(`after ${param.transform ?? "transformation"}: ${note} (${code})`);
    return;
  }
  param.notes.push(`${note} (${code})`);
  const s = param.schema;
  switch (rule.rule) {
    case "type":
      delete s.format;
      Object.assign(s, TYPE_SCHEMA[rule.type]);
      break;
    case "regex":
      // JSON Schema patterns carry no flags; a flagged pattern stays in the description only.
      if (!rule.flags || rule.flags === "u") param.patterns.push(rule.pattern);
      break;
    case "length":
      if (rule.min !== undefined) s.minLength = rule.min;
      if (rule.max !== undefined) tighten(s, "maxLength", rule.max);
      break;
    case "range":
      if (rule.min !== undefined) s.minimum = rule.min;
      if (rule.max !== undefined) s.maximum = rule.max;
      break;
    case "enum":
      if (!rule.caseInsensitive) s.enum = rule.values;
      break;
    case "format":
      if (rule.format === "email") s.format = "email";
      else param.patterns.push(FORMAT_PATTERNS[rule.format].source);
      break;
    default:
      break;
  }
}

function paramSchema(param: Param): JsonSchema {
  const [first, ...more] = param.patterns;
  const schema: JsonSchema = { ...param.schema };
  if (first) schema.pattern = first;
  if (more.length > 0) schema.allOf = more.map((pattern) => ({ pattern }));
  const words = [
    param.erpFields.length > 0 ? `ERP field ${param.erpFields.join(", ")}${param.direct ? "" : ` (via ${param.transform ?? "an expression"})`}.` : "",
    param.notes.length > 0 ? `Rules: ${param.notes.join("; ")}.` : "",
  ].filter(Boolean);
  if (words.length > 0) schema.description = words.join(" ");
  if (param.erpFields.length > 0) schema["x-erp-field"] = param.erpFields.join(", ");
  return schema;
}

/** Inserts a property at a dotted path, creating the intermediate objects. */
function insertProperty(root: JsonSchema, path: string[], schema: JsonSchema, required: boolean): void {
  let node = root;
  path.forEach((name, i) => {
    const properties = (node.properties ??= {}) as Record<string, JsonSchema>;
    const last = i === path.length - 1;
    if (last) properties[name] = schema;
    else properties[name] ??= { type: "object" };
    if (required) {
      const list = (node.required ??= []) as string[];
      if (!list.includes(name)) list.push(name);
    }
    if (!last) node = properties[name]!;
  });
}

export interface RequestShape {
  body: JsonSchema;
  item: JsonSchema;
  mode: "single" | "batch";
  trigger: TriggerHttpConfig;
}

export function requestShape(flow: FlowFile, triggerNode: FlowNode): RequestShape {
  const trigger = triggerHttpConfigSchema.parse(triggerNode.config);
  const order = nodesInOrder(flow, triggerNode);
  const mapIndex = order.findIndex((n) => hasCapability(n, "mapping"));
  const expression = mapIndex >= 0 ? capabilityOf(order[mapIndex]!, "mapping") : undefined;
  const rows = expression !== undefined ? mapRows(expression) : [];
  const store = firstWith(order, "recordWrite")?.value;
  const entity = store ? findEntity(store.entity) : undefined;
  // An insert needs every required field of its entity; an upsert may update only some of them.
  const inserts = store?.mode === "insert";

  const params = new Map<string, Param>();
  const paramFor = (path: string[], scope: "item" | "body", direct: boolean, transform?: string): Param => {
    const key = `${scope}:${path.join(".")}`;
    let param = params.get(key);
    if (!param) {
      param = { path, scope, erpFields: [], direct, transform, required: false, schema: {}, patterns: [], notes: [] };
      params.set(key, param);
    }
    return param;
  };
  for (const row of rows) {
    const param = paramFor(row.path, row.scope, row.direct, row.transform);
    if (row.target === undefined) continue;
    param.erpFields.push(row.target);
    if (row.shared) continue;
    const field = entity?.fields.find((f) => f.name === row.target);
    const type = field?.type;
    // Case and whitespace functions need a string in and give one out, so the type still holds.
    const keepsType = row.direct || (type === "string" && STRING_TRANSFORMS.has(row.transform ?? ""));
    if (keepsType && type && param.schema.type === undefined) Object.assign(param.schema, TYPE_SCHEMA[type]);
    // The entity's contract, which the store enforces whatever the flow checks before it.
    if (keepsType && field?.type === "string") tighten(param.schema, "maxLength", maxLengthOf(field));
    if (field?.required && inserts) param.required = true;
  }

  /** The request parameters behind a field name as the node at `index` sees it. */
  const paramsOf = (field: string, index: number): Param[] => {
    if (mapIndex < 0 || index < mapIndex) {
      const path = splitPath(field);
      return path ? [paramFor(path, "item", true)] : [];
    }
    return rows.filter((r) => r.target === field && !r.shared).map((r) => paramFor(r.path, r.scope, r.direct, r.transform));
  };

  order.forEach((node, index) => {
    for (const rule of capabilityOf(node, "fieldRules") ?? []) {
      for (const param of paramsOf(rule.field, index)) applyRule(param, rule);
    }
    const lookup = capabilityOf(node, "lookup");
    if (lookup) {
      const path = splitPath(lookup.key);
      const targets = path ? paramsOf(path.join("."), index) : [];
      const code = lookup.code ?? "NOT_FOUND";
      for (const param of targets) {
        if (lookup.onMissing === "fail") param.required = true;
        param.notes.push(`must match the ${lookup.keyField ?? "key"} of an existing ${lookup.entity} (${code})`);
      }
    }
  });

  const item: JsonSchema = { type: "object" };
  const body: JsonSchema = trigger.mode === "batch" && trigger.itemsField ? { type: "object" } : item;
  for (const param of params.values()) {
    insertProperty(param.scope === "body" ? body : item, param.path, paramSchema(param), param.required);
  }
  if (params.size === 0) item.description = "The flow reads this body with an expression; see the examples.";
  if (trigger.mode === "single") return { body: item, item, mode: "single", trigger };
  const items: JsonSchema = { type: "array", minItems: 1, maxItems: trigger.maxItems, items: item };
  if (!trigger.itemsField) return { body: items, item, mode: "batch", trigger };
  insertProperty(body, trigger.itemsField.split("."), items, true);
  return { body, item, mode: "batch", trigger };
}

function exampleKey(name: string, taken: Set<string>): string {
  const base = camelCaseSlug(name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")) || "example";
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}${n}`;
  taken.add(key);
  return key;
}

export function requestExamples(flow: FlowFile): Record<string, OpenApiExample> {
  const taken = new Set<string>();
  const examples: Record<string, OpenApiExample> = {};
  // Only samples that the flow accepts: a contract's examples must be valid requests.
  for (const sample of flow.samples.filter((s) => !s.expect || s.expect.status === "SUCCESS")) {
    examples[exampleKey(sample.name, taken)] = {
      summary: sample.name,
      ...(sample.description ? { description: sample.description } : {}),
      // Generators ({{unique}}…) as stable documentation values, not a new GSTIN per page load.
      value: resolveGenerators(sample.payload, { example: true }).value,
    };
  }
  return examples;
}
