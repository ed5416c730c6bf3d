/**
 * "Test connection": one request through a stored connection, exactly as a delivery would make it
 * (its SSRF guard, timeout, default headers and credential, via createSender) but with a GET and no
 * body, so a test never creates anything in the external system. Any HTTP answer proves the host is
 * reachable; 401/403 say the credential was refused. Only the status, a few safe facts and the time
 * taken come back: never headers, body or the credential.
 */
import { FlowError } from "@/server/engine/errors";
import type { Queryable } from "@/server/db/queryable";
import { getConnection } from "./connections";
import { createSender } from "./send";

export interface ConnectionTestResult {
  ok: boolean;
  /** reachable: any HTTP answer; credential_refused: 401/403; unreachable: DNS, refused, timeout, SSRF guard. */
  verdict: "reachable" | "credential_refused" | "unreachable";
  httpStatus: number | null;
  durationMs: number;
  url: string;
  message: string;
}

export async function testConnection(sql: Queryable, name: string, options: { path?: string } = {}): Promise<ConnectionTestResult> {
  const connection = await getConnection(sql, name);
  const send = createSender(sql);
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  try {
    const response = await send({ connection: connection.name, method: "GET", path: options.path ?? "", headers: {}, body: undefined, timeoutMs: connection.timeoutMs });
    const refused = response.status === 401 || response.status === 403;
    return {
      ok: !refused && response.status < 500,
      verdict: refused ? "credential_refused" : "reachable",
      httpStatus: response.status,
      durationMs: took(),
      url: response.url,
      message: refused
        ? `${connection.name} answered HTTP ${response.status}: the credential was refused`
        : `${connection.name} answered HTTP ${response.status}`,
    };
  } catch (error) {
    if (!(error instanceof FlowError)) throw error;
    return { ok: false, verdict: "unreachable", httpStatus: null, durationMs: took(), url: connection.baseUrl, message: error.message };
  }
}
