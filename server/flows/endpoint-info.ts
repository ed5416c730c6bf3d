/**
 * The endpoint panel of an incoming flow: its URL, a ready curl, which API clients may call it and
 * where its OpenAPI section is. Secrets never appear: clients are listed with key prefixes only.
 */
import { camelCaseSlug } from "@/server/incoming/openapi";
import { listClients } from "@/server/incoming/clients";
import type { Queryable } from "@/server/db/queryable";
import type { FlowFile } from "@/flows/format";
import { nodesWith } from "@/flows/nodes/registry";
import { resolveGenerators } from "@/flows/samples/generators";

export interface EndpointInfo {
  url: string;
  /** The seed's alternative: the bare URL routed by an x-integration-code header. */
  codeUrl: string;
  curl: string;
  docsHref: string;
  authMethods: string[];
  clients: { name: string; active: boolean; allFlows: boolean; credentials: { kind: string; masked: string; status: string }[] }[];
}

function authMethodsOf(flow: FlowFile): string[] {
  const auth = nodesWith(flow.nodes, "callerAuth").find((n) => n.value !== undefined)?.value;
  return auth ? [...auth.methods] : [];
}

export async function endpointInfo(sql: Queryable, flow: FlowFile, publicUrl: string): Promise<EndpointInfo> {
  const base = publicUrl.replace(/\/+$/, "");
  const url = `${base}/api/v1/integration/incoming/${flow.slug}`;
  const methods = authMethodsOf(flow);
  // Fresh generator values ({{unique}}…): a copied curl saves a new record instead of a duplicate.
  const sample = resolveGenerators(flow.samples[0]?.payload ?? {}).value;
  const authHeader = methods.includes("api_key") || methods.length === 0 ? "-H 'x-api-key: <your API key>'" : "-H 'Authorization: Bearer <your token>'";
  const body = JSON.stringify(sample).replace(/'/g, "'\\''");
  const clients = (await listClients(sql))
    .filter((c) => c.flowScopes.includes("*") || c.flowScopes.includes(flow.slug))
    .map((c) => ({
      name: c.name,
      active: c.active,
      allFlows: c.flowScopes.includes("*"),
      credentials: c.credentials.filter((k) => k.status === "active").map((k) => ({ kind: k.kind, masked: k.masked, status: k.status })),
    }));
  return {
    url,
    codeUrl: `${base}/api/v1/integration/incoming`,
    curl: [`curl -X POST ${url}`, "  -H 'content-type: application/json'", `  ${authHeader}`, `  -d '${body}'`].join(" \\\n"),
    docsHref: `/api-docs#${camelCaseSlug(flow.slug)}`,
    authMethods: methods,
    clients,
  };
}
