import { z } from "zod";
import { defineNode, type ConfigInspection } from "../define";
import { expressionSchema, fieldPathSchema, resourceNameSchema } from "../schemas";
import { sendInspector } from "./inspector";

/** Secrets belong in a credential (encrypted, never shown), not in a flow file. */
const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "x-api-key", "cookie"]);

/**
 * The default schedule (the webhook services' own, about 27 h in all): the first attempt at once,
 * then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, each with jitter. A receiver that is down
 * for a deploy or a maintenance window is retried past it instead of filling the Failed Queue.
 */
export const DEFAULT_RETRY_SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

export const retryPolicySchema = z
  .strictObject({
    /** Attempts in all, the first included. */
    maxAttempts: z.int().min(1).max(20).default(DEFAULT_RETRY_SCHEDULE_MS.length + 1),
    /** schedule: the delays of `scheduleMs` in turn (the last repeats); exponential: full jitter from initialDelayMs; fixed: initialDelayMs. */
    backoff: z.enum(["schedule", "exponential", "fixed"]).default("schedule"),
    initialDelayMs: z.int().min(100).max(3_600_000).default(1000),
    maxDelayMs: z.int().min(100).max(86_400_000).default(300_000),
    /** backoff "schedule": the delay before the 2nd, 3rd, … attempt (±20 % jitter). */
    scheduleMs: z.array(z.int().min(0).max(86_400_000)).min(1).max(20).optional(),
  })
  .refine((r) => r.initialDelayMs <= r.maxDelayMs, { message: "initial delay must not exceed the maximum", path: ["maxDelayMs"] });
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: DEFAULT_RETRY_SCHEDULE_MS.length + 1,
  backoff: "schedule",
  initialDelayMs: 1000,
  maxDelayMs: 300_000,
  scheduleMs: DEFAULT_RETRY_SCHEDULE_MS,
};

export const sendConfigSchema = z.strictObject({
  /** A connection (base URL, default headers, credential, timeout) from Outgoing API Settings. */
  connection: resourceNameSchema,
  method: z.enum(["POST", "PUT", "PATCH", "DELETE", "GET"]).default("POST"),
  /** Appended to the connection's base URL. */
  path: z.string().regex(/^\/[^\s]*$/, "a path starting with /, e.g. /api/v1/receive-data"),
  headers: z
    .record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "a header name"), z.string())
    .refine((h) => Object.keys(h).every((k) => !SECRET_HEADERS.has(k.toLowerCase())), "put secrets in a credential, not a header")
    .default({}),
  /** JSONata over the input giving the body; the input itself when omitted. */
  body: expressionSchema.optional(),
  timeoutMs: z.int().min(100).max(120_000).default(10_000),
  /** JSONata over {status, headers, body}; any 2xx when omitted. */
  successCondition: expressionSchema.optional(),
  /** JSONata over the response body giving the external reference ID, e.g. `referenceId`. */
  referenceIdExpression: expressionSchema.optional(),
  /** A field of the triggering record that receives the reference ID. */
  referenceField: fieldPathSchema.optional(),
  /**
   * 409 Conflict means "already delivered" (a receiver that deduplicates by Idempotency-Key answers
   * 409 to a repeat): the attempt succeeds, reading the reference ID from the answer if it has one.
   */
  conflictMeansDelivered: z.boolean().default(false),
  retry: retryPolicySchema.default(DEFAULT_RETRY_POLICY),
});
export type SendConfig = z.infer<typeof sendConfigSchema>;

export const sendDefinition = defineNode({
  type: "send",
  label: "Send to API",
  category: "Actions",
  icon: "send",
  help: "Calls the external system through a named connection with its credential; reads the reference ID from the answer. Network errors, timeouts, 408, 429 and 5xx are retried on a schedule (by default for about 27 h: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h).",
  trigger: false,
  directions: ["incoming", "outgoing"],
  ports: { inputs: ["in"], outputs: ["out"] },
  configSchema: sendConfigSchema,
  defaults: { connection: "accounting-system", method: "POST", path: "/api/v1/receive-data", headers: {}, timeoutMs: 10_000 },
  summarize: (c) => `${c.method} ${c.connection} ${c.path}${c.conflictMeansDelivered ? " (409 = delivered)" : ""}`,
  inspect: (c) => {
    const found: ConfigInspection = {
      expressions: [],
      regexes: [],
      references: [{ kind: "connection", name: c.connection, path: ["connection"] }],
    };
    if (c.body) found.expressions.push({ path: ["body"], text: c.body });
    if (c.successCondition) found.expressions.push({ path: ["successCondition"], text: c.successCondition });
    if (c.referenceIdExpression) found.expressions.push({ path: ["referenceIdExpression"], text: c.referenceIdExpression });
    return found;
  },
  inspector: sendInspector,
  delivery: (c) => c.retry,
});
