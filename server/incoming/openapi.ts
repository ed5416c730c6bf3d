/**
 * The OpenAPI 3.1 contract of the published incoming endpoints, derived from the flows themselves
 * so it cannot drift from what runs: the map node's sources are the API parameters, the validate
 * rules on the ERP fields they feed become JSON Schema constraints on those parameters, the auth
 * node gives the security requirements and the flow's valid samples are the request examples.
 *
 * The entity's contract (flows/erp/contract.ts) bounds what the store accepts, so it bounds the
 * parameters too. The request half (parameters, their schema, examples) is openapi-request.ts, the
 * answers and their schemas openapi-responses.ts (messages from the error table, flows/app-errors.ts),
 * the shapes openapi-types.ts; this file assembles the document.
 *
 * `buildOpenApiDocument` is pure (the page and the tests call it on flow files);
 * `openApiForPublishedFlows` loads what the endpoints would run right now.
 */
import { effectiveStatusRules } from "@/flows/status-rules";
import { parseFlow, type FlowFile } from "@/flows/format";
import type { IncomingAuthMethod } from "@/flows/nodes/auth/definition";
import { firstWith, nodesWith } from "@/flows/nodes/registry";
import { triggerHttpConfigSchema } from "@/flows/nodes/trigger.http/definition";
import type { Queryable } from "@/server/db/queryable";
import { getDefaultStatusRules } from "@/server/settings/status-rules";
import { INCOMING_PREFIX } from "./handle-incoming";
import { camelCaseSlug, COMPONENT_SCHEMAS, flowResponses } from "./openapi-responses";
import { requestExamples, requestShape } from "./openapi-request";
import type { DocumentedFlow, JsonSchema, OpenApiDocument, OpenApiExample, OpenApiOperation, OpenApiParameter, OpenApiResponse } from "./openapi-types";

export type { DocumentedFlow, JsonSchema, OpenApiDocument, OpenApiExample, OpenApiOperation, OpenApiParameter, OpenApiResponse } from "./openapi-types";

export const OPENAPI_PATH = "/api/v1/integration/openapi.json";

const SECURITY_OF: Record<IncomingAuthMethod, string> = { api_key: "apiKey", bearer: "bearerAuth", signature: "webhookSignature" };

export { camelCaseSlug };

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

function incomingAuth(flow: FlowFile) {
  return nodesWith(flow.nodes, "callerAuth").find((n) => n.value !== undefined)?.value;
}

function operationFor(entry: DocumentedFlow): { slug: string; operation: OpenApiOperation; body: JsonSchema } | undefined {
  const flow = entry.definition;
  if (flow.direction !== "incoming") return undefined;
  const triggerNode = firstWith(flow.nodes, "endpoint")?.node;
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
