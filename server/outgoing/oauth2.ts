/**
 * OAuth2 client credentials (RFC 6749 §4.4) for outgoing connections: the client id and secret the
 * external system's owner gave us are exchanged at their token URL for an access token, which is
 * cached (encrypted, like every secret) in the credential's row until shortly before it expires.
 * When the API still answers 401, send.ts invalidates the token and retries once with a new one.
 */
import { FlowError } from "@/server/engine/errors";
import type { Queryable } from "@/server/db/queryable";
import { decryptSecret, encryptSecret } from "@/server/secrets/crypto";
import { safeRequest } from "./safe-http";

/** Renew this long before the server's expiry, so a token never dies in flight. */
export const EXPIRY_SKEW_MS = 30_000;
/** When the token endpoint does not say how long a token lives (the 401 retry covers a wrong guess). */
const DEFAULT_LIFETIME_SECONDS = 3600;
const TOKEN_TIMEOUT_MS = 10_000;

export interface OAuth2Config {
  tokenUrl: string;
  clientId: string;
  scope?: string;
  audience?: string;
  /** How the client authenticates at the token URL: HTTP Basic (the RFC's default) or form fields. */
  clientAuth?: "basic" | "body";
}

export interface TokenOptions {
  /** The calling connection's SSRF override also covers its token URL. */
  allowPrivate?: boolean;
  timeoutMs?: number;
  now?: () => Date;
}

interface TokenRow {
  id: string;
  config: Record<string, string>;
  secret_enc: string;
  access_token_enc: string | null;
  access_token_expires_at: Date | null;
}

// Concurrent sends in one process share one token lookup (and so at most one token request) per
// credential. The lookup itself is shared, not only the request: a caller whose read of the row
// began before another's request finished would otherwise see no token and ask again.
const inFlight = new Map<string, Promise<string>>();
const inFlightKey = (credentialName: string, allowPrivate: boolean) => JSON.stringify([credentialName, allowPrivate]);

/** A valid access token for the named oauth2_client_credentials credential (cached or fresh). */
export function getAccessToken(sql: Queryable, credentialName: string, options: TokenOptions = {}): Promise<string> {
  const key = inFlightKey(credentialName, options.allowPrivate ?? false);
  const pending = inFlight.get(key);
  if (pending) return pending;
  const lookup = lookUpOrFetch(sql, credentialName, options).finally(() => {
    if (inFlight.get(key) === lookup) inFlight.delete(key);
  });
  inFlight.set(key, lookup);
  return lookup;
}

async function lookUpOrFetch(sql: Queryable, credentialName: string, options: TokenOptions): Promise<string> {
  const now = options.now ?? (() => new Date());
  const [row] = await sql<TokenRow[]>`
    select id, config, secret_enc, access_token_enc, access_token_expires_at
    from credentials where name = ${credentialName} and type = 'oauth2_client_credentials'`;
  if (!row) {
    throw new FlowError("NOT_FOUND", {
      message: `No OAuth2 credential named "${credentialName}"`,
      details: { reason: "CREDENTIAL_NOT_FOUND", name: credentialName },
    });
  }
  if (row.access_token_enc && row.access_token_expires_at && row.access_token_expires_at.getTime() > now().getTime()) {
    try {
      return decryptSecret(row.access_token_enc);
    } catch {
      // Sealed by a key we no longer hold: fetch a new one rather than fail the send.
    }
  }
  return fetchAndStore(sql, row, options, now);
}

async function fetchAndStore(sql: Queryable, row: TokenRow, options: TokenOptions, now: () => Date): Promise<string> {
  const config = row.config as unknown as OAuth2Config;
  const secret = decryptSecret(row.secret_enc);
  const form = new URLSearchParams({ grant_type: "client_credentials" });
  if (config.scope) form.set("scope", config.scope);
  if (config.audience) form.set("audience", config.audience);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
  if (config.clientAuth === "body") {
    form.set("client_id", config.clientId);
    form.set("client_secret", secret);
  } else {
    // RFC 6749 §2.3.1: both parts form-encoded before Basic encoding.
    const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
    headers.authorization = `Basic ${Buffer.from(`${encode(config.clientId)}:${encode(secret)}`).toString("base64")}`;
  }
  const response = await safeRequest({
    url: config.tokenUrl,
    method: "POST",
    headers,
    body: form.toString(),
    timeoutMs: options.timeoutMs ?? TOKEN_TIMEOUT_MS,
    allowPrivate: options.allowPrivate ?? false,
  });
  const body = (typeof response.body === "object" && response.body !== null ? response.body : {}) as Record<string, unknown>;
  if (response.status < 200 || response.status >= 300 || typeof body.access_token !== "string" || body.access_token === "") {
    // Only the standard error fields: a token endpoint's body is not ours to log in full.
    const details: Record<string, unknown> = { reason: "OAUTH2_TOKEN", status: response.status };
    if (typeof body.error === "string") details.error = body.error;
    if (typeof body.error_description === "string") details.errorDescription = body.error_description;
    throw new FlowError("EXTERNAL_ERROR", {
      message: `The OAuth2 token endpoint answered HTTP ${response.status}${typeof body.error === "string" ? ` (${body.error})` : ""} without an access token`,
      retryable: response.status === 408 || response.status === 429 || response.status >= 500,
      details,
    });
  }
  const token = body.access_token;
  const given = Number(body.expires_in);
  const lifetime = Number.isFinite(given) && given > 0 ? given : DEFAULT_LIFETIME_SECONDS;
  const expiresAt = new Date(now().getTime() + lifetime * 1000 - EXPIRY_SKEW_MS);
  await sql`
    update credentials set access_token_enc = ${encryptSecret(token)}, access_token_expires_at = ${expiresAt}, updated_at = now()
    where id = ${row.id}`;
  return token;
}

/**
 * Forgets the cached token after the API refused it. Only when it is still the token that was
 * refused: another send may already have stored a fresh one.
 */
export async function invalidateAccessToken(sql: Queryable, credentialName: string, refused: string): Promise<void> {
  const [row] = await sql<{ id: string; access_token_enc: string | null }[]>`
    select id, access_token_enc from credentials where name = ${credentialName}`;
  if (!row?.access_token_enc) return;
  let cached: string | undefined;
  try {
    cached = decryptSecret(row.access_token_enc);
  } catch {
    cached = undefined;
  }
  if (cached !== undefined && cached !== refused) return;
  // A lookup that read the row before now would hand the refused token to the next caller.
  for (const allowPrivate of [false, true]) inFlight.delete(inFlightKey(credentialName, allowPrivate));
  await sql`
    update credentials set access_token_enc = null, access_token_expires_at = null
    where id = ${row.id} and access_token_enc = ${row.access_token_enc}`;
}
