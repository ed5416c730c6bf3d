/**
 * EngineServices.send against Postgres and the network: one attempt of an outgoing request
 * through a stored connection (the outgoing job owns retries and the Failed Queue). The body is
 * serialized once and those exact bytes are both signed and sent. An OAuth2 token the API refuses
 * with 401 is refreshed and the request retried once: that is the token's lifetime, not a retry.
 */
import { randomUUID } from "node:crypto";
import type { EngineLogger, OutgoingRequest, OutgoingResponse } from "@/server/engine/services";
import type { Queryable } from "@/server/db/queryable";
import { connectionForSend } from "./connection-cache";
import { getConnectionForSend, joinUrl } from "./connections";
import { resolveCredential, type ResolvedCredential } from "./credentials";
import { invalidateAccessToken } from "./oauth2";
import { safeRequest, type SafeResponse } from "./safe-http";

export interface SentResponse extends OutgoingResponse {
  /** The body was longer than the cap and was cut (it is then text, never parsed JSON). */
  bodyTruncated: boolean;
  remoteAddress: string | undefined;
  url: string;
}

export interface SenderOptions {
  /** Gets header names, never values. */
  logger?: EngineLogger;
  now?: () => Date;
  /**
   * The configuration stamp read with the attempt's claim (connection-cache.ts): the connection and
   * credential may then come from this process's cache. Without it both are read fresh.
   */
  configStamp?: string;
}

// GET and HEAD carry no body: many servers refuse one, and the send node passes its input anyway.
const BODYLESS = new Set(["GET", "HEAD"]);

/** Lower-cases names so later sources replace earlier ones whatever their spelling. */
function merge(...sources: Record<string, string>[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const source of sources) for (const [name, value] of Object.entries(source)) out[name.toLowerCase()] = value;
  return out;
}

export function createSender(sql: Queryable, options: SenderOptions = {}): (request: OutgoingRequest) => Promise<SentResponse> {
  return async function send(request: OutgoingRequest): Promise<SentResponse> {
    // The connection and its credential in one read, or as cached while the stamp says unchanged.
    const { connection, credential: stored } =
      options.configStamp === undefined
        ? await getConnectionForSend(sql, request.connection, request.credential)
        : await connectionForSend(sql, request.connection, request.credential, options.configStamp);
    const url = joinUrl(connection.baseUrl, request.path);
    const method = (request.method || connection.method).toUpperCase();
    const body = BODYLESS.has(method) || request.body === undefined ? undefined : JSON.stringify(request.body);
    const timeoutMs = request.timeoutMs > 0 ? request.timeoutMs : connection.timeoutMs;
    const credentialName = request.credential ?? connection.credentialName ?? undefined;

    const base = merge(connection.defaultHeaders, request.headers);
    if (body !== undefined && base["content-type"] === undefined) base["content-type"] = "application/json";
    base.accept ??= "application/json, text/plain;q=0.9, */*;q=0.5";
    if (request.idempotencyKey) base["idempotency-key"] = request.idempotencyKey;
    // Written back onto the request: the engine logs that object, so the log shows the id sent.
    request.requestId ??= randomUUID();
    base["x-request-id"] = request.requestId;

    const credentialFor = (reread = false) =>
      credentialName === undefined
        ? Promise.resolve<ResolvedCredential | undefined>(undefined)
        : resolveCredential(sql, credentialName, { method, url, body, allowPrivate: connection.allowPrivate, timeoutMs, now: options.now }, reread ? undefined : stored);

    const attempt = async (credential: ResolvedCredential | undefined): Promise<SafeResponse> => {
      const headers = merge(base, credential?.headers ?? {});
      const started = Date.now();
      const response = await safeRequest({
        url,
        method,
        headers,
        body,
        timeoutMs,
        allowPrivate: connection.allowPrivate,
        followRedirects: connection.followRedirects,
        credentialHeaders: Object.keys(credential?.headers ?? {}),
      });
      options.logger?.debug(
        { connection: connection.name, method, url: `${new URL(url).origin}${new URL(url).pathname}`, headerNames: Object.keys(headers), status: response.status, ms: Date.now() - started },
        "outgoing request",
      );
      return response;
    };

    let credential = await credentialFor();
    let response = await attempt(credential);
    if (response.status === 401 && credential?.type === "oauth2_client_credentials" && credentialName !== undefined) {
      const refused = credential.headers.authorization?.replace(/^Bearer /, "") ?? "";
      await invalidateAccessToken(sql, credentialName, refused);
      credential = await credentialFor(true);
      response = await attempt(credential);
    }
    return {
      status: response.status,
      headers: response.headers,
      body: response.body,
      bodyTruncated: response.bodyTruncated,
      remoteAddress: response.remoteAddress,
      url: response.url,
    };
  };
}

