import { getDatabase } from "@/server/db/client";
import { env } from "@/server/env";
import { OPENAPI_PATH, openApiForPublishedFlows, type JsonSchema, type OpenApiDocument, type OpenApiOperation } from "@/server/incoming/openapi";

// The contract follows publishing and deactivation at once: rendered per request.
export const dynamic = "force-dynamic";

interface FieldRow {
  name: string;
  type: string;
  required: boolean;
  rules: string[];
}

function typeOf(schema: JsonSchema): string {
  if (schema.type === "array") return `array of ${typeOf((schema.items ?? {}) as JsonSchema)}`;
  if (typeof schema.type === "string") return schema.format ? `${schema.type} (${String(schema.format)})` : schema.type;
  return "any";
}

function rulesOf(schema: JsonSchema): string[] {
  const rules: string[] = [];
  if (typeof schema.pattern === "string") rules.push(`pattern ${schema.pattern}`);
  if (Array.isArray(schema.enum)) rules.push(`one of ${schema.enum.map(String).join(", ")}`);
  if (schema.minLength !== undefined || schema.maxLength !== undefined) rules.push(`length ${String(schema.minLength ?? 0)}..${String(schema.maxLength ?? "∞")}`);
  if (schema.minimum !== undefined || schema.maximum !== undefined) rules.push(`range ${String(schema.minimum ?? "-∞")}..${String(schema.maximum ?? "∞")}`);
  if (schema.minItems !== undefined || schema.maxItems !== undefined) rules.push(`${String(schema.minItems ?? 0)} to ${String(schema.maxItems ?? "∞")} items`);
  if (typeof schema.description === "string") rules.push(schema.description);
  return rules;
}

/** The body schema as one row per field; nested objects and batch items get dotted names. */
function fieldRows(schema: JsonSchema, prefix = ""): FieldRow[] {
  if (schema.type === "array") return fieldRows((schema.items ?? {}) as JsonSchema, `${prefix}[].`);
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).flatMap(([name, child]) => {
    const row: FieldRow = { name: `${prefix}${name}`, type: typeOf(child), required: required.has(name), rules: rulesOf(child) };
    const nested = child.type === "object" || (child.type === "array" && (child.items as JsonSchema | undefined)?.type === "object");
    return nested ? [row, ...fieldRows(child, `${prefix}${name}${child.type === "array" ? "" : "."}`)] : [row];
  });
}

function authWords(doc: OpenApiDocument, operation: OpenApiOperation): string {
  if (operation.security.length === 0) return "None (public endpoint)";
  return operation.security
    .flatMap((requirement) => Object.keys(requirement))
    .map((name) => {
      const scheme = doc.components.securitySchemes[name];
      if (scheme?.type === "http") return "Authorization: Bearer <token>";
      if (scheme?.type === "apiKey") return `${String(scheme.name)} header`;
      return name;
    })
    .join(" or ");
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

function Endpoint({ doc, path, operation }: { doc: OpenApiDocument; path: string; operation: OpenApiOperation }) {
  const media = operation.requestBody.content["application/json"];
  const fields = fieldRows(media.schema);
  const [example] = Object.values(media.examples);
  return (
    <article className="apidoc-endpoint" id={operation.operationId}>
      <h2>
        <span className="apidoc-method">POST</span> <code>{`${doc.servers[0]?.url ?? ""}${path}`}</code>
      </h2>
      <p>
        <strong>{operation.summary}</strong>
        {operation.description ? <span className="muted"> — {operation.description}</span> : null}
      </p>
      <p>
        <strong>Authentication:</strong> {authWords(doc, operation)}
      </p>

      <h3>Headers</h3>
      <table className="apidoc-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Required</th>
            <th>Description</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>
              <code>Content-Type</code>
            </td>
            <td>yes</td>
            <td>application/json</td>
          </tr>
          {operation.parameters.map((p) => (
            <tr key={p.name}>
              <td>
                <code>{p.name}</code>
              </td>
              <td>{p.required ? "yes" : "no"}</td>
              <td>
                {p.description}
                {Array.isArray(p.schema.enum) ? ` One of: ${p.schema.enum.map(String).join(", ")}.` : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>Request fields</h3>
      {fields.length === 0 ? (
        <p className="muted">The body is the chosen integration&apos;s; see its own endpoint above.</p>
      ) : (
        <table className="apidoc-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Type</th>
              <th>Required</th>
              <th>Rules</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((f) => (
              <tr key={f.name}>
                <td>
                  <code>{f.name}</code>
                </td>
                <td>{f.type}</td>
                <td>{f.required ? "yes" : "no"}</td>
                <td className="apidoc-rules">
                  {f.rules.map((r) => (
                    <div key={r}>{r}</div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {example ? (
        <>
          <h3>Example request: {example.summary}</h3>
          <pre className="apidoc-json">{json(example.value)}</pre>
        </>
      ) : null}

      <h3>Responses</h3>
      <div className="apidoc-responses">
        {Object.entries(operation.responses).map(([status, response]) => (
          <details key={status} className="apidoc-response">
            <summary>
              <span className={`apidoc-status apidoc-status-${status.charAt(0)}xx`}>{status}</span> {response.description}
            </summary>
            {Object.entries(response.content["application/json"].examples).map(([name, ex]) => (
              <div key={name}>
                <div className="muted">{ex.summary}</div>
                <pre className="apidoc-json">{json(ex.value)}</pre>
              </div>
            ))}
          </details>
        ))}
      </div>
    </article>
  );
}

export default async function ApiDocsPage() {
  const doc = await openApiForPublishedFlows((await getDatabase()).sql, env().publicUrl);
  const endpoints = Object.entries(doc.paths);
  return (
    <section>
      <h1>API Docs</h1>
      <p className="muted">
        The contract of the published incoming endpoints, generated from their flows. Machine-readable:{" "}
        <a href={OPENAPI_PATH}>
          <code>{OPENAPI_PATH}</code>
        </a>{" "}
        (OpenAPI 3.1).
      </p>
      {endpoints.length === 0 ? (
        <div className="empty">No incoming flow is published and active.</div>
      ) : (
        <>
          <nav className="apidoc-toc" aria-label="Endpoints">
            {endpoints.map(([path, item]) => (
              <a key={path} href={`#${item.post.operationId}`}>
                {item.post.summary}
              </a>
            ))}
          </nav>
          {endpoints.map(([path, item]) => (
            <Endpoint key={path} doc={doc} path={path} operation={item.post} />
          ))}
        </>
      )}
    </section>
  );
}
