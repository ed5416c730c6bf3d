/**
 * The OpenAPI 3.1 contract of the published incoming endpoints, derived from the flows themselves
 * so it cannot drift from what runs: the map node's sources are the API parameters, the validate
 * rules on the ERP fields they feed become JSON Schema constraints on those parameters, the auth
 * node gives the security requirements and the flow's valid samples are the request examples.
 *
 * The entity's contract (flows/erp/contract.ts) bounds what the store accepts, so it bounds the
 * parameters too. The answers and their schemas are in openapi-responses.ts.
 *
 * `buildOpenApiDocument` is pure (the page and the tests call it on flow files);
 * `openApiForPublishedFlows` loads what the endpoints would run right now.
 */
import { maxLengthOf } from "@/flows/erp/contract";
import { findEntity, type FieldType } from "@/flows/erp/entities";
import { effectiveStatusRules } from "@/flows/status-rules";
import { parseFlow, type FlowFile, type FlowNode } from "@/flows/format";
import { authConfigSchema, type IncomingAuthMethod } from "@/flows/nodes/auth/definition";
import { lookupConfigSchema } from "@/flows/nodes/lookup/definition";
import { mapConfigSchema } from "@/flows/nodes/map/definition";
import { mappedFields } from "@/flows/mapper/model";
import { storeConfigSchema } from "@/flows/nodes/store/definition";
import { triggerHttpConfigSchema, type TriggerHttpConfig } from "@/flows/nodes/trigger.http/definition";
import { validateConfigSchema } from "@/flows/nodes/validate/definition";
import { FORMAT_LABELS, FORMAT_PATTERNS } from "@/flows/nodes/validate/formats";
import { ruleError, type ValidationRule, type ValueType } from "@/flows/nodes/validate/rules";
import type { PublishedFlow } from "@/server/flows/repository";
import type { Queryable } from "@/server/db/queryable";
import { getDefaultStatusRules } from "@/server/settings/status-rules";
import { INCOMING_PREFIX } from "./handle-incoming";
import { camelCaseSlug, COMPONENT_SCHEMAS, flowResponses, nodesOfType } from "./openapi-responses";

export type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: { url: string; description: string; "x-internal": boolean }[];
  paths: Record<string, { post: OpenApiOperation }>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, Record<string, unknown>>;
  };
}

export interface OpenApiParameter {
  name: string;
  in: "header";
  required: boolean;
  description: string;
  schema: JsonSchema;
}

export interface OpenApiExample {
  summary: string;
  description?: string;
  value: unknown;
}

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content: { "application/json": { schema: JsonSchema; examples: Record<string, OpenApiExample> } };
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description: string;
  /** Any one of the listed requirements authenticates the call (the auth node's methods). */
  security: Record<string, string[]>[];
  parameters: OpenApiParameter[];
  requestBody: { required: true; content: { "application/json": { schema: JsonSchema; examples: Record<string, OpenApiExample> } } };
  responses: Record<string, OpenApiResponse>;
  /** The flow's slug and version, so a developer can tell which contract they read. */
  "x-flow"?: { slug: string; version?: number; mode: "single" | "batch" };
}

/** What the builder needs of a published flow: its slug and definition (version when known). */
export type DocumentedFlow = Pick<PublishedFlow, "slug" | "definition"> & { version?: number; active?: boolean };

export const OPENAPI_PATH = "/api/v1/integration/openapi.json";

const SECURITY_OF: Record<IncomingAuthMethod, string> = { api_key: "apiKey", bearer: "bearerAuth", signature: "webhookSignature" };

export { camelCaseSlug };

// ---------------------------------------------------------------------------------------------
// The flow's request parameters
// ---------------------------------------------------------------------------------------------

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
function mapRows(config: unknown): SourceRow[] {
  const parsed = mapConfigSchema.safeParse(config);
  if (!parsed.success) return [];
  const { fields, reads } = mappedFields(parsed.data.expression);
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

interface RequestShape {
  body: JsonSchema;
  item: JsonSchema;
  mode: "single" | "batch";
  trigger: TriggerHttpConfig;
}

function requestShape(flow: FlowFile, triggerNode: FlowNode): RequestShape {
  const trigger = triggerHttpConfigSchema.parse(triggerNode.config);
  const order = nodesInOrder(flow, triggerNode);
  const mapIndex = order.findIndex((n) => n.type === "map");
  const rows = mapIndex >= 0 ? mapRows(order[mapIndex]!.config) : [];
  const store = order.map((n) => storeConfigSchema.safeParse(n.type === "store" ? n.config : undefined)).find((r) => r.success);
  const entity = store?.data ? findEntity(store.data.entity) : undefined;
  // An insert needs every required field of its entity; an upsert may update only some of them.
  const inserts = store?.data?.mode === "insert";

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
    if (node.type === "validate") {
      const config = validateConfigSchema.safeParse(node.config);
      for (const rule of config.success ? config.data.rules : []) {
        for (const param of paramsOf(rule.field, index)) applyRule(param, rule);
      }
    }
    if (node.type === "lookup") {
      const config = lookupConfigSchema.safeParse(node.config);
      if (!config.success) return;
      const path = splitPath(config.data.key);
      const targets = path ? paramsOf(path.join("."), index) : [];
      const code = config.data.code ?? "NOT_FOUND";
      for (const param of targets) {
        if (config.data.onMissing === "fail") param.required = true;
        param.notes.push(`must match the ${config.data.keyField ?? "key"} of an existing ${config.data.entity} (${code})`);
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

// ---------------------------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------------------------

const HEADER_PARAMETERS: OpenApiParameter[] = [
  {
    name: "Idempotency-Key",
    in: "header",
    required: false,
    description:
      "Makes retries safe: a repeat with the same key and body replays the first answer (Idempotent-Replayed: true) without saving again; the same key with another body answers 422.",
    schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x21-\\x7e]{1,255}$" },
  },
  {
    name: "x-request-id",
    in: "header",
    required: false,
    description: "Your trace id, echoed as requestId and in the x-request-id answer header (a new id when absent or malformed).",
    schema: { type: "string", maxLength: 128, pattern: "^[\\w.:-]{1,128}$" },
  },
];

function exampleKey(name: string, taken: Set<string>): string {
  const base = camelCaseSlug(name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")) || "example";
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}${n}`;
  taken.add(key);
  return key;
}

function requestExamples(flow: FlowFile): Record<string, OpenApiExample> {
  const taken = new Set<string>();
  const examples: Record<string, OpenApiExample> = {};
  // Only samples that the flow accepts: a contract's examples must be valid requests.
  for (const sample of flow.samples.filter((s) => !s.expect || s.expect.status === "SUCCESS")) {
    examples[exampleKey(sample.name, taken)] = {
      summary: sample.name,
      ...(sample.description ? { description: sample.description } : {}),
      value: sample.payload,
    };
  }
  return examples;
}

function incomingAuth(flow: FlowFile) {
  for (const node of nodesOfType(flow, "auth")) {
    const parsed = authConfigSchema.safeParse(node.config);
    if (parsed.success && parsed.data.direction === "incoming") return parsed.data;
  }
  return undefined;
}

function operationFor(entry: DocumentedFlow): { slug: string; operation: OpenApiOperation; body: JsonSchema } | undefined {
  const flow = entry.definition;
  if (flow.direction !== "incoming") return undefined;
  const triggerNode = flow.nodes.find((n) => n.type === "trigger.http");
  if (!triggerNode || !triggerHttpConfigSchema.safeParse(triggerNode.config).success) return undefined;
  const shape = requestShape(flow, triggerNode);
  const auth = incomingAuth(flow);
  const batchWords =
    shape.mode === "batch"
      ? ` Batch: the body ${shape.trigger.itemsField ? `holds the records in \`${shape.trigger.itemsField}\`` : "is an array of records"} (at most ${shape.trigger.maxItems}); each is answered in results.`
      : "";
  const operation: OpenApiOperation = {
    operationId: camelCaseSlug(entry.slug),
    summary: flow.name,
    description: `${flow.description}${batchWords}`.trim(),
    security: auth ? auth.methods.map((m) => ({ [SECURITY_OF[m]]: [] })) : [],
    parameters: HEADER_PARAMETERS,
    requestBody: { required: true, content: { "application/json": { schema: shape.body, examples: requestExamples(flow) } } },
    responses: flowResponses(flow, shape.mode, auth?.methods),
    "x-flow": { slug: entry.slug, ...(entry.version !== undefined ? { version: entry.version } : {}), mode: shape.mode },
  };
  return { slug: entry.slug, operation, body: shape.body };
}


const SECURITY_SCHEMES: OpenApiDocument["components"]["securitySchemes"] = {
  apiKey: { type: "apiKey", in: "header", name: "x-api-key", description: "The API key issued by the ERP (seed §2.1)." },
  bearerAuth: { type: "http", scheme: "bearer", description: "Authorization: Bearer <token> issued by the ERP (seed §2.2)." },
  webhookSignature: {
    type: "apiKey",
    in: "header",
    name: "webhook-signature",
    description: "Standard Webhooks signature over webhook-id, webhook-timestamp and the raw body, with the client's signing secret.",
  },
};

/** The contract of the given incoming flows (outgoing, inactive and non-HTTP flows are left out). */
export function buildOpenApiDocument(flows: DocumentedFlow[], options: { serverUrl: string }): OpenApiDocument {
  const operations = [...flows]
    .filter((f) => f.active !== false)
    .sort((a, b) => a.slug.localeCompare(b.slug))
    .flatMap((f) => operationFor(f) ?? []);
  const paths: OpenApiDocument["paths"] = {};
  for (const { slug, operation } of operations) paths[`${INCOMING_PREFIX}/${slug}`] = { post: operation };

  if (operations.length > 0) {
    // The seed's §3.2 endpoint: the same flows, chosen by a header instead of the path.
    const securities = new Map<string, Record<string, string[]>>();
    for (const { operation } of operations) for (const s of operation.security) securities.set(Object.keys(s).join(), s);
    const responses: Record<string, OpenApiResponse> = {};
    for (const { operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const target = (responses[status] ??= structuredClone({ ...response, content: { "application/json": { ...response.content["application/json"], examples: {} } } }));
        for (const [name, example] of Object.entries(response.content["application/json"].examples)) {
          target.content["application/json"].examples[`${operation.operationId}.${name}`] = example;
        }
        const current = target.content["application/json"].schema;
        const schema = response.content["application/json"].schema;
        const options = Array.isArray(current.oneOf) ? (current.oneOf as JsonSchema[]) : [current];
        if (!options.some((o) => JSON.stringify(o) === JSON.stringify(schema))) target.content["application/json"].schema = { oneOf: [...options, schema] };
      }
    }
    const examples: Record<string, OpenApiExample> = {};
    for (const { operation } of operations) {
      for (const [name, example] of Object.entries(operation.requestBody.content["application/json"].examples)) {
        examples[`${operation.operationId}.${name}`] = { ...example, summary: `${operation.summary}: ${example.summary}` };
      }
    }
    paths[INCOMING_PREFIX] = {
      post: {
        operationId: "postIncomingByIntegrationCode",
        summary: "Incoming API (endpoint chosen by x-integration-code)",
        description:
          "The seed's single incoming endpoint (§3.2). The x-integration-code header names the integration; the body, rules, authentication and answers are that integration's, as documented on its own path.",
        security: [...securities.values()],
        parameters: [
          {
            name: "x-integration-code",
            in: "header",
            required: true,
            description: "The integration to call: one of the published incoming endpoints.",
            schema: { type: "string", enum: operations.map((o) => o.slug) },
          },
          ...HEADER_PARAMETERS,
        ],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: { anyOf: operations.map((o) => ({ title: o.operation.summary, ...o.body })) },
              examples,
            },
          },
        },
        responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b))),
      },
    };
  }

  return {
    openapi: "3.1.0",
    info: {
      title: "Incoming integration API",
      version: "1",
      description:
        "External systems push records into the ERP with POST and JSON. Each endpoint is a published integration flow; its request fields, rules and examples below are generated from that flow. Every answer carries requestId (also in the x-request-id header).",
    },
    // x-internal false: external systems are this API's audience (the console's own API is not in it).
    servers: [{ url: options.serverUrl.replace(/\/+$/, ""), description: "This installation (production, staging or test: its FLOWPORT_PUBLIC_URL)", "x-internal": false }],
    paths,
    components: { schemas: COMPONENT_SCHEMAS, securitySchemes: SECURITY_SCHEMES },
  };
}

/** The contract of what the endpoints run now: the published version of every active incoming flow. */
export async function openApiForPublishedFlows(sql: Queryable, serverUrl: string): Promise<OpenApiDocument> {
  const rows = await sql<{ slug: string; version: number; definition: FlowFile }[]>`
    select f.slug, v.version, v.definition
    from flows f join flow_versions v on v.flow_id = f.id and v.version = f.published_version
    where f.active and f.direction = 'incoming'
    order by f.slug`;
  // Parsed so the format's defaults (status rules, samples) are filled in as the engine sees them,
  // and the installation's default status rules applied where a flow does not override them.
  const defaults = await getDefaultStatusRules(sql);
  const flows = rows.map((r) => {
    const definition = parseFlow(r.definition);
    return { slug: r.slug, version: r.version, active: true, definition: { ...definition, statusRules: effectiveStatusRules(definition.statusRules, defaults) } };
  });
  return buildOpenApiDocument(flows, { serverUrl });
}
