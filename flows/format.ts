/**
 * The flow file format, defined once. `flows/*.flow.json`, the designer's draft, a published version
 * and the CLI's import/export all use this shape; `flows/flow.schema.json` is generated from it
 * (`flows/generate-schema.ts`) so editors can complete and check flow files too.
 *
 * The format is deliberately lenient about node `config` and node `type`: a draft must be savable
 * while a node is half-configured. Per-node checks live in `validate-graph.ts`, which reports them
 * addressed to the node instead of failing the whole file.
 */
import { z } from "zod";

export const FLOW_FORMAT_VERSION = 1 as const;

/** Outcomes an execution can end in; samples and return status rules are keyed by them. */
export const OUTCOMES = ["SUCCESS", "FAILED", "DUPLICATE", "ERROR"] as const;
export const outcomeSchema = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof outcomeSchema>;

export const flowDirectionSchema = z.enum(["incoming", "outgoing"]).meta({
  description: "incoming: an external system calls us; outgoing: the ERP calls an external system",
});
export type FlowDirection = z.infer<typeof flowDirectionSchema>;

/** Slugs appear in URLs (`/api/v1/integration/incoming/{slug}`), so they are kebab-case. */
export const slugSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "use lowercase letters, digits and single hyphens")
  .max(80);

/** Node ids are referenced by edges, traces and error messages: short and stable. */
export const nodeIdSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, "start with a letter; letters, digits, _ and - only");

export const flowNodeSchema = z.strictObject({
  id: nodeIdSchema,
  type: z.string().min(1).meta({ description: "node type, e.g. trigger.http, map, validate" }),
  name: z.string().max(120),
  position: z.strictObject({ x: z.number(), y: z.number() }),
  config: z.record(z.string(), z.unknown()).meta({ description: "checked against the node type's schema by validateGraph" }),
});
export type FlowNode = z.infer<typeof flowNodeSchema>;

export const flowEdgeSchema = z.strictObject({
  source: nodeIdSchema,
  target: nodeIdSchema,
  sourcePort: z.string().min(1).optional().meta({ description: 'output port of the source; "out" when omitted, "true"/"false" for branch' }),
});
export type FlowEdge = z.infer<typeof flowEdgeSchema>;

/** The default output port of every node except branch. */
export const DEFAULT_PORT = "out";

const jsonRecord = z.record(z.string(), z.json());

export const sampleExpectationSchema = z.strictObject({
  status: outcomeSchema,
  httpStatus: z.int().min(100).max(599).optional(),
  errorCode: z.string().optional(),
  record: jsonRecord.optional().meta({ description: "the mapped record the store node writes (incoming)" }),
  request: z.json().optional().meta({ description: "the request body the send node sends (outgoing)" }),
});
export type SampleExpectation = z.infer<typeof sampleExpectationSchema>;

export const flowSampleSchema = z.strictObject({
  name: z.string().min(1).max(120),
  description: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  payload: z.json().meta({
    description:
      "trigger input: the request body (incoming) or the ERP record (outgoing). String values may use generators, resolved afresh on every run (flows/samples/generators.ts): {{unique}} (a value new on each run, shaped by its field's name: a GSTIN for gst fields, an Indian mobile for mobile/phone, an address for email, a PAN, PIN code or IFSC; else letters and digits; force a shape with {{unique:gstin}}, :pan, :mobile, :email, :pincode, :ifsc, :digits, :text), {{today}} (YYYY-MM-DD, UTC), {{now}} (ISO date-time), {{uuid}}",
  }),
  expect: sampleExpectationSchema.optional().meta({
    description: "expected outcome: the sample doubles as a regression test. Strings may name a generated payload value as {{payload.<path>}} (e.g. {{payload.gstNumber}}); {{today}} and {{now}} read the same clock as the payload",
  }),
});
export type FlowSample = z.infer<typeof flowSampleSchema>;

const httpStatus = z.int().min(100).max(599);

/** Return status rules (the seed's §3.6): which HTTP answer each outcome produces. */
export const statusRulesSchema = z.strictObject({
  SUCCESS: z
    .strictObject({ httpStatus: httpStatus.default(200), message: z.string().default("Record saved successfully") })
    .default({ httpStatus: 200, message: "Record saved successfully" }),
  FAILED: z.strictObject({ httpStatus: httpStatus.default(400) }).default({ httpStatus: 400 }),
  DUPLICATE: z
    .strictObject({ httpStatus: httpStatus.default(409), message: z.string().optional() })
    .default({ httpStatus: 409 }),
  ERROR: z
    .strictObject({ httpStatus: httpStatus.default(500), message: z.string().default("Internal server error") })
    .default({ httpStatus: 500, message: "Internal server error" }),
});
export type StatusRules = z.infer<typeof statusRulesSchema>;
export const DEFAULT_STATUS_RULES: StatusRules = statusRulesSchema.parse({});

export const flowOptionsSchema = z.strictObject({
  batchAllOrNothing: z.boolean().default(false).meta({ description: "batch mode: reject every item when one fails" }),
  failedQueue: z.boolean().default(true).meta({ description: "outgoing: park deliveries that exhausted their retries" }),
  logPayloads: z.boolean().default(true).meta({ description: "keep request and trace payloads in the execution log" }),
  // Optional, not defaulted (as redactFields): flows without it keep their files as they were.
  order: z
    .enum(["per-record"])
    .optional()
    .meta({ description: "outgoing: per-record sends the deliveries of one record one at a time, in event order; a failing one holds those behind it" }),
  // Optional, not defaulted: without it the key is the record (entity and record id).
  orderKey: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .optional()
    .meta({
      description:
        "outgoing, with order per-record: a JSONata expression over the event ({entity, event, recordId, status, from, record}) whose value groups deliveries that go one at a time in event order, e.g. record.Vendor_Code; the record by default",
    }),
  // Optional, not defaulted: flows without it keep their files and exports as they were.
  redactFields: z
    .array(z.string().trim().min(1).max(120))
    .max(100)
    .optional()
    .meta({ description: "extra header or body field names (any depth, case-insensitive) replaced with [redacted] in the execution log, besides every name that looks like a token, secret, key, password, auth, cookie, session or signature" }),
});
export type FlowOptions = z.infer<typeof flowOptionsSchema>;

export const flowFileSchema = z.strictObject({
  $schema: z.string().optional(),
  formatVersion: z.literal(FLOW_FORMAT_VERSION),
  slug: slugSchema,
  name: z.string().min(1).max(120),
  direction: flowDirectionSchema,
  description: z.string().default(""),
  nodes: z.array(flowNodeSchema),
  edges: z.array(flowEdgeSchema),
  samples: z.array(flowSampleSchema).default([]),
  statusRules: statusRulesSchema.default(DEFAULT_STATUS_RULES),
  options: flowOptionsSchema.default({ batchAllOrNothing: false, failedQueue: true, logPayloads: true }),
});
export type FlowFile = z.infer<typeof flowFileSchema>;
export type FlowFileInput = z.input<typeof flowFileSchema>;

export interface FormatIssue {
  path: (string | number)[];
  message: string;
}

export type ParseFlowResult = { ok: true; flow: FlowFile } | { ok: false; issues: FormatIssue[] };

/** Parses a flow from its JSON text or an already-parsed value, without throwing. */
export function safeParseFlow(source: string | unknown): ParseFlowResult {
  let value: unknown = source;
  if (typeof source === "string") {
    try {
      value = JSON.parse(source);
    } catch (err) {
      return { ok: false, issues: [{ path: [], message: `not valid JSON: ${(err as Error).message}` }] };
    }
  }
  const parsed = flowFileSchema.safeParse(value);
  if (parsed.success) return { ok: true, flow: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)), message: i.message })),
  };
}

export class FlowFormatError extends Error {
  constructor(public readonly issues: FormatIssue[]) {
    super(`Invalid flow file:\n${issues.map((i) => `  - ${i.path.join(".") || "(root)"}: ${i.message}`).join("\n")}`);
    this.name = "FlowFormatError";
  }
}

export function parseFlow(source: string | unknown): FlowFile {
  const result = safeParseFlow(source);
  if (!result.ok) throw new FlowFormatError(result.issues);
  return result.flow;
}

/**
 * The canonical text of a flow: schema key order, two-space indent, trailing newline. Files written
 * by the designer and by hand-then-normalized stay diff-friendly in git, and parse → serialize of a
 * canonical file gives the same bytes.
 */
export function serializeFlow(flow: FlowFile): string {
  return `${JSON.stringify(flowFileSchema.parse(flow), null, 2)}\n`;
}
