"use client";

/**
 * An incoming flow's endpoint as its callers see it: URL (and the seed's header-routed form), a
 * ready curl, the API clients allowed to call it (key prefixes only) and its OpenAPI section.
 */
import { useState } from "react";
import type { RouterOutputs } from "@/app/lib/router-types";
import styles from "./publish.module.css";

export type EndpointView = RouterOutputs["flows"]["endpoint"];

interface Props {
  endpoint: EndpointView;
  slug: string;
  published: boolean;
  active: boolean;
}

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className={styles.secondary}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        });
      }}
    >
      {copied ? "Copied" : "Copy"}
    </button>
  );
}

export function EndpointPanel({ endpoint, slug, published, active }: Props) {
  return (
    <div className={styles.endpoint}>
      {!published ? (
        <p className={styles.warning}>Not published yet: the endpoint answers 404 until the first version is published.</p>
      ) : !active ? (
        <p className={styles.warning}>This flow is inactive: the endpoint answers 404 until it is activated.</p>
      ) : null}
      <h3>URL</h3>
      <div className={styles.copyRow}>
        <code data-testid="endpoint-url">POST {endpoint.url}</code>
        <CopyButton text={endpoint.url} />
      </div>
      <p className="muted">
        Or <code>POST {endpoint.codeUrl}</code> with the header <code>x-integration-code: {slug}</code>.
      </p>
      <h3>Try it</h3>
      <div className={styles.copyRow}>
        <pre className={styles.code}>{endpoint.curl}</pre>
        <CopyButton text={endpoint.curl} />
      </div>
      <h3>Who may call it</h3>
      <p className="muted">Authentication: {endpoint.authMethods.length ? endpoint.authMethods.map((m) => (m === "api_key" ? "x-api-key" : m === "bearer" ? "Bearer token" : "signature")).join(" or ") : "none (public)"}</p>
      {endpoint.clients.length === 0 ? (
        <p className={styles.warning}>No API client may call this flow yet. Give a client access on the API Clients page.</p>
      ) : (
        <table className={styles.table} aria-label="API clients">
          <thead>
            <tr>
              <th>Client</th>
              <th>Scope</th>
              <th>Active keys and tokens</th>
            </tr>
          </thead>
          <tbody>
            {endpoint.clients.map((c) => (
              <tr key={c.name}>
                <td>
                  {c.name} {!c.active ? <span className="muted">(disabled)</span> : null}
                </td>
                <td>{c.allFlows ? "all incoming flows" : "this flow"}</td>
                <td>{c.credentials.length ? c.credentials.map((k) => `${k.kind === "api_key" ? "key" : "token"} ${k.masked}`).join(", ") : <span className="muted">none</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a href={endpoint.docsHref} target="_blank" rel="noreferrer">
          Open its OpenAPI section in API Docs ↗
        </a>
      </p>
    </div>
  );
}
