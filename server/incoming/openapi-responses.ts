/**
 * The answers half of the OpenAPI contract (openapi.ts builds the document): each incoming flow's
 * responses with their examples, taken from its validate rules, respond nodes and status rules, and
 * the component schemas of the seed's answer shapes. Every string and array in them is bounded and
 * every 2xx and 4xx answer lists the RateLimit-* headers a limited client gets, as the OWASP ruleset
 * asks (openapi.spectral.yaml). The endpoint's refusals take their codes and messages from the error
 * table (flows/app-errors.ts) that the server answers with, so an example cannot drift from the answer.
 */
import { APP_ERRORS, appErrorMessage, type AppErrorCode } from "@/flows/app-errors";
import { findEntity } from "@/flows/erp/entities";
import type { FlowFile } from "@/flows/format";
import { firstWith, nodesWith } from "@/flows/nodes/registry";
import type { IncomingAuthMethod } from "@/flows/nodes/auth/definition";
import { ruleError, ruleName, type ValidationRule } from "@/flows/nodes/validate/rules";
import { MAX_BODY_BYTES } from "./http-io";
import { missingMessage } from "./inbound-auth";
import type { JsonSchema, OpenApiExample, OpenApiResponse } from "./openapi-types";

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** `vendor-master` → `vendorMaster`. */
export function camelCaseSlug(slug: string): string {
  return slug.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

const REQUEST_ID = "6f1c2a4e-8d3b-4c1e-9a7f-2b5d0e8c1f34";
const errorBody = (errorCode: string, message: string, extra: Record<string, unknown> = {}) => ({
  status: "error",
  errorCode,
  message,
  ...extra,
  requestId: REQUEST_ID,
});
/** A refusal of the endpoint's own, as the server words it. */
const refusalBody = (code: AppErrorCode, params?: Record<string, string | number>) => errorBody(code, appErrorMessage(code, params));

const REQUEST_ID_HEADER = { description: "The caller's x-request-id when given, else a new id; also in the body.", schema: { type: "string", maxLength: 128 } };

/** Per-client limits are at most 1,000,000 calls a minute (clients.ts), counted in one-minute windows. */
const RATE_LIMIT_HEADERS: NonNullable<OpenApiResponse["headers"]> = {
  "RateLimit-Limit": {
    description: "Sent when the API client has a per-minute limit: calls allowed per minute.",
    schema: { type: "integer", format: "int32", minimum: 1, maximum: 1_000_000 },
  },
  "RateLimit-Remaining": {
    description: "Sent when the API client has a per-minute limit: calls left in the current minute.",
    schema: { type: "integer", format: "int32", minimum: 0, maximum: 1_000_000 },
  },
  "RateLimit-Reset": {
    description: "Sent when the API client has a per-minute limit: seconds until the current minute's window ends.",
    schema: { type: "integer", format: "int32", minimum: 1, maximum: 60 },
  },
};

/** The most items an answer lists: a batch's results (trigger.http's maxItems) and a record's field errors. */
const MAX_BATCH_ITEMS = 10_000;
const MAX_FIELD_ERRORS = 1000;

function validationRules(flow: FlowFile): ValidationRule[] {
  return nodesWith(flow.nodes, "fieldRules").flatMap((n) => n.value);
}

/** Every answer an incoming flow gives, each with examples: its own outcomes, then the endpoint's refusals. */
export function flowResponses(flow: FlowFile, mode: "single" | "batch", authMethods: readonly IncomingAuthMethod[] | undefined): Record<string, OpenApiResponse> {
  const responses: Record<string, OpenApiResponse> = {};
  const add = (status: number, description: string, schema: JsonSchema, name: string, example: OpenApiExample) => {
    const key = String(status);
    const existing = responses[key];
    if (existing) {
      existing.description = `${existing.description} / ${description}`;
      existing.content["application/json"].examples[name] = example;
      const current = existing.content["application/json"].schema;
      if (JSON.stringify(current) !== JSON.stringify(schema)) {
        const options = Array.isArray(current.oneOf) ? (current.oneOf as JsonSchema[]) : [current];
        existing.content["application/json"].schema = { oneOf: [...options, schema] };
      }
      return;
    }
    responses[key] = {
      description,
      // Client limits apply to every answer after authentication (2xx and 4xx alike).
      headers: { "x-request-id": REQUEST_ID_HEADER, ...(/^[24]/.test(key) ? RATE_LIMIT_HEADERS : {}) },
      content: { "application/json": { schema, examples: { [name]: example } } },
    };
  };

  const rules = validationRules(flow);
  const respond = nodesWith(flow.nodes, "answer").map((n) => n.value);
  const store = firstWith(flow.nodes, "recordWrite")?.value;
  const prefix = store?.series ?? (store ? findEntity(store.entity)?.series.prefix : undefined) ?? "REC-";
  const recordId = `${prefix}1023`;
  const successMessage = respond.find((r) => r.status === "SUCCESS")?.message ?? flow.statusRules.SUCCESS.message;
  const { SUCCESS, FAILED, DUPLICATE, ERROR } = flow.statusRules;

  if (mode === "single") {
    // The seed's §3.7 answer, plus the requestId every answer carries.
    add(SUCCESS.httpStatus, "Record saved", ref("SuccessResponse"), "success", {
      summary: "Saved",
      value: { status: "success", message: successMessage, recordId, requestId: REQUEST_ID },
    });
  } else {
    add(SUCCESS.httpStatus, "Every record saved", ref("BatchResponse"), "success", {
      summary: "Every record saved",
      value: {
        status: "success",
        message: "2 records saved successfully",
        results: [
          { index: 0, status: "success", recordId },
          { index: 1, status: "success", recordId: `${prefix}1024` },
        ],
        requestId: REQUEST_ID,
      },
    });
    add(207, "Some records saved, some rejected: see each item's result", ref("BatchResponse"), "partial", {
      summary: "Partly saved",
      value: {
        status: "partial",
        message: "1 of 2 records saved",
        results: [
          { index: 0, status: "success", recordId },
          { index: 1, status: "error", errorCode: "VALIDATION_FAILED", message: "The record failed validation" },
        ],
        requestId: REQUEST_ID,
      },
    });
  }

  // The first form check is the seed's kind of rejection (INVALID_GST for vendor-master).
  const formRule = rules.find((r) => !["required", "notEmpty", "unique", "exists", "custom"].includes(r.rule)) ?? rules[0];
  if (formRule) {
    const { code, message } = ruleError(formRule);
    add(FAILED.httpStatus, "Invalid or missing parameters: every failing rule is listed in errors", ref("ErrorResponse"), "validation", {
      summary: `Validation failed (${code})`,
      value: errorBody(code, message, { errors: [{ field: formRule.field, rule: ruleName(formRule), code, message }] }),
    });
  }
  for (const answer of respond.filter((r) => r.status === "FAILED" && r.errorCode)) {
    add(FAILED.httpStatus, "Rejected by the flow", ref("ErrorResponse"), camelCaseSlug(answer.errorCode!.toLowerCase().replace(/_/g, "-")), {
      summary: `Rejected (${answer.errorCode})`,
      value: errorBody(answer.errorCode!, answer.message ?? "The record was rejected"),
    });
  }
  add(400, "Invalid or missing parameters", ref("ErrorResponse"), "invalidJson", {
    summary: "Body is not JSON",
    value: errorBody("INVALID_JSON", `${appErrorMessage("INVALID_JSON")}: Unexpected end of JSON input`),
  });
  if (authMethods) {
    add(401, "Authentication failure: missing or wrong credentials", ref("ErrorResponse"), "authFailed", {
      summary: "No valid credentials",
      value: errorBody("AUTH_FAILED", missingMessage(authMethods)),
    });
    add(403, "The client may not call this endpoint (scope or IP allowlist)", ref("ErrorResponse"), "forbidden", {
      summary: "Outside the client's scopes",
      value: refusalBody("FORBIDDEN_FLOW", { flowSlug: flow.slug }),
    });
  }
  add(APP_ERRORS.ENDPOINT_NOT_FOUND.httpStatus, "Mapping or endpoint not found (unknown or inactive)", ref("ErrorResponse"), "notFound", {
    summary: "Unknown endpoint",
    value: refusalBody("ENDPOINT_NOT_FOUND"),
  });
  const unique = rules.find((r) => r.rule === "unique");
  const duplicate = respond.find((r) => r.status === "DUPLICATE");
  add(DUPLICATE.httpStatus, "Duplicate record", ref("ErrorResponse"), "duplicate", {
    summary: "Duplicate record",
    value: errorBody(
      duplicate?.errorCode ?? "DUPLICATE_RECORD",
      duplicate?.message ?? DUPLICATE.message ?? (unique ? ruleError(unique).message : "The record already exists"),
    ),
  });
  add(APP_ERRORS.IDEMPOTENCY_IN_PROGRESS.httpStatus, "A call with the same Idempotency-Key is still running", ref("ErrorResponse"), "idempotencyInProgress", {
    summary: "Idempotency-Key in progress",
    value: refusalBody("IDEMPOTENCY_IN_PROGRESS"),
  });
  add(APP_ERRORS.PAYLOAD_TOO_LARGE.httpStatus, "Body larger than the limit", ref("ErrorResponse"), "tooLarge", {
    summary: "Body too large",
    value: refusalBody("PAYLOAD_TOO_LARGE", { kib: Math.round(MAX_BODY_BYTES / 1024) }),
  });
  add(APP_ERRORS.UNSUPPORTED_MEDIA_TYPE.httpStatus, "Content-Type is not JSON", ref("ErrorResponse"), "unsupportedMediaType", {
    summary: "Not JSON",
    value: refusalBody("UNSUPPORTED_MEDIA_TYPE"),
  });
  add(APP_ERRORS.IDEMPOTENCY_KEY_REUSED.httpStatus, "The Idempotency-Key was used before with a different body", ref("ErrorResponse"), "idempotencyKeyReused", {
    summary: "Idempotency-Key reused",
    value: refusalBody("IDEMPOTENCY_KEY_REUSED"),
  });
  if (authMethods) {
    add(APP_ERRORS.RATE_LIMITED.httpStatus, "Over the client's per-minute limit; retry after Retry-After seconds", ref("ErrorResponse"), "rateLimited", {
      summary: "Rate limited",
      value: refusalBody("RATE_LIMITED", { limit: 60 }),
    });
    add(APP_ERRORS.TOO_MANY_AUTH_FAILURES.httpStatus, "Too many invalid credentials from this address; retry after Retry-After seconds", ref("ErrorResponse"), "tooManyAuthFailures", {
      summary: "Too many invalid credentials",
      value: refusalBody("TOO_MANY_AUTH_FAILURES"),
    });
    responses["429"]!.headers!["Retry-After"] = { description: "Seconds to wait before retrying", schema: { type: "integer", format: "int32", minimum: 1, maximum: 3600 } };
    responses["401"]!.headers!["WWW-Authenticate"] = { description: "The accepted schemes", schema: { type: "string", maxLength: 500 } };
  }
  add(ERROR.httpStatus, "Internal server error", ref("ErrorResponse"), "internal", {
    summary: "Internal error",
    value: errorBody("INTERNAL_ERROR", ERROR.message),
  });
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
}


/** Bounds of the answers' text: ids are short, messages a sentence (the flow's own are at most 300). */
const TEXT = {
  message: { type: "string", maxLength: 2000 },
  recordId: { type: "string", maxLength: 64 },
  requestId: { type: "string", maxLength: 128 },
  errorCode: { type: "string", maxLength: 64, pattern: "^[A-Z][A-Z0-9_]*$" },
};

export const COMPONENT_SCHEMAS: Record<string, JsonSchema> = {
  SuccessResponse: {
    type: "object",
    required: ["status", "message", "recordId", "requestId"],
    properties: {
      status: { const: "success" },
      message: TEXT.message,
      recordId: { ...TEXT.recordId, description: "The ERP record's id, e.g. VEND-1023" },
      requestId: TEXT.requestId,
    },
  },
  FieldError: {
    type: "object",
    required: ["field", "rule", "code", "message"],
    properties: {
      field: { type: "string", maxLength: 300, description: "The ERP field the rule checks, e.g. GST_No" },
      rule: { type: "string", maxLength: 64, description: "The rule, e.g. required, gstin, unique" },
      code: { ...TEXT.errorCode, description: "e.g. INVALID_GST" },
      message: TEXT.message,
    },
  },
  ErrorResponse: {
    type: "object",
    required: ["status", "errorCode", "message", "requestId"],
    properties: {
      status: { const: "error" },
      errorCode: { ...TEXT.errorCode, description: "Machine-readable code, e.g. INVALID_GST, DUPLICATE_RECORD, ENDPOINT_NOT_FOUND" },
      message: TEXT.message,
      errors: { type: "array", maxItems: MAX_FIELD_ERRORS, items: ref("FieldError"), description: "Validation failures: every failing rule, the first gives errorCode" },
      results: { type: "array", maxItems: MAX_BATCH_ITEMS, items: ref("BatchItemResult"), description: "Batch endpoints: each record's result" },
      requestId: TEXT.requestId,
    },
  },
  BatchItemResult: {
    type: "object",
    required: ["index", "status"],
    properties: {
      index: { type: "integer", format: "int32", minimum: 0, maximum: MAX_BATCH_ITEMS - 1 },
      status: { enum: ["success", "error", "rolled_back"] },
      recordId: TEXT.recordId,
      errorCode: TEXT.errorCode,
      message: TEXT.message,
      errors: { type: "array", maxItems: MAX_FIELD_ERRORS, items: ref("FieldError") },
    },
  },
  BatchResponse: {
    type: "object",
    required: ["status", "message", "results", "requestId"],
    properties: {
      status: { enum: ["success", "partial"] },
      message: TEXT.message,
      results: { type: "array", maxItems: MAX_BATCH_ITEMS, items: ref("BatchItemResult") },
      requestId: TEXT.requestId,
    },
  },
};
