/**
 * Who may call an incoming flow: the API key (`x-api-key`), bearer token (`Authorization: Bearer`)
 * or Standard Webhooks signature the flow's auth node accepts, checked against the API clients of
 * server/incoming/clients.ts. Failures are FlowError AUTH_FAILED, which the HTTP layer answers as:
 *   401 missing or bad credentials, bad signature (details.wwwAuthenticate is the challenge);
 *   403 a valid client calling a flow outside its scopes or from outside its allowlist
 *       (details.reason FORBIDDEN_FLOW / IP_NOT_ALLOWED);
 *   429 over the client's per-minute limit (details.reason RATE_LIMITED, details.retryAfterSeconds).
 *
 * Throughput (1,500 req/s on 2 cores): the usual call is one indexed select by prefix joined to
 * its client, plus the rate-limit upsert when the client has a limit; `last_used_at` is written at
 * most once a minute per credential. What is cached (endpoint-cache.ts) is checked against the
 * config version in each call's transaction, so a revoked key fails on the very next request.
 */
import { appErrorMessage } from "@/flows/app-errors";
import type { IncomingAuthMethod } from "@/flows/nodes/auth/definition";
import { FlowError } from "@/server/engine/errors";
import type { AuthServices, IncomingAuthRequest } from "@/server/engine/services";
import { logger } from "@/server/log";
import type { Queryable } from "@/server/db/queryable";
import { parseToken, verifyToken, type TokenKind } from "@/server/secrets/api-tokens";
import { decryptSecret } from "@/server/secrets/crypto";
import { isAddressAllowed } from "./ip-allowlist";
import { countRateLimitedCall, rateLimitHeaders, type RateLimitResult } from "./rate-limit";
import { DEFAULT_TOLERANCE_SECONDS, hasWebhookHeaders, rememberWebhookMessage, verifyWebhookSignature, type SignatureCheck } from "./webhook-signature";

export interface IncomingCall {
  /** Lower-cased header names. */
  headers: Record<string, string>;
  flowSlug: string;
  /** Any one of these authenticates the call (the flow's auth node). */
  methods: readonly IncomingAuthMethod[];
  /** The body exactly as received: signatures cover its bytes, not its parsed JSON. */
  rawBody?: string;
  /** The peer address (node:http's socket.remoteAddress); the HTTP layer decides about proxies. */
  remoteAddress: string;
  toleranceSeconds?: number;
  /**
   * The credential rows of the presented prefixes, read by the caller in a query it made anyway
   * (handle-incoming reads them with the endpoint: one round trip instead of two). Read in the
   * same request, so a revoked key still fails on the very next call.
   */
  prefetched?: PrefetchedCredentials;
}

/** Rows from credentialRowsByPrefix, for the prefixes of presentedPrefixes(headers). */
export interface PrefetchedCredentials {
  prefixes: string[];
  rows: CredentialRow[];
}

export interface VerifiedCaller {
  clientId: string;
  clientName: string;
  method: IncomingAuthMethod;
  /** The key or token's public prefix, for logs; absent when the signature alone identified the caller. */
  credentialPrefix?: string;
  /** The client's per-minute window after this call, when it has a limit (its RateLimit-* headers). */
  rateLimit?: RateLimitResult;
}

type AuthFailure =
  | "MISSING_CREDENTIALS"
  | "INVALID_CREDENTIAL"
  | "CREDENTIAL_EXPIRED"
  | "CREDENTIAL_REVOKED"
  | "CLIENT_DISABLED"
  | SignatureFailureCode;
type SignatureFailureCode = Extract<SignatureCheck, { ok: false }>["failure"];

export interface ClientRow {
  client_id: string;
  client_name: string;
  active: boolean;
  flow_scopes: string[];
  ip_allowlist: string[];
  rate_limit_per_minute: number | null;
  signing_secret_enc: string | null;
  require_signature: boolean;
}

export interface CredentialRow extends ClientRow {
  prefix: string;
  credential_id: string;
  kind: TokenKind;
  hash: string;
  revoked: boolean;
  expired: boolean;
  touch_due: boolean;
  /** As PostgreSQL prints it (exact to the microsecond): endpoint-cache.ts re-checks it against now(). */
  expires_at: string | null;
  last_used_at: Date | null;
}

const LABELS: Record<TokenKind, string> = { api_key: "API key", bearer: "bearer token" };

export async function verifyIncomingCall(sql: Queryable, call: IncomingCall): Promise<VerifiedCaller> {
  const presented = presentedToken(call);
  if (presented) return verifyTokenCall(sql, call, presented);
  if (call.methods.includes("signature") && hasWebhookHeaders(call.headers)) return verifySignatureOnlyCall(sql, call);
  throw unauthorized(call.methods, "MISSING_CREDENTIALS", missingMessage(call.methods));
}

/** The engine's auth service for one request (the address is not part of the engine's request). */
export function incomingAuthServices(sql: Queryable, connection: { remoteAddress: string }): Required<AuthServices> {
  return {
    verifyIncoming: (request: IncomingAuthRequest) => verifyIncomingCall(sql, { ...request, remoteAddress: connection.remoteAddress }),
  };
}

/** The key or token the flow accepts, as sent; an x-api-key wins over an Authorization header. */
function presentedToken(call: IncomingCall): { kind: TokenKind; token: string } | undefined {
  const apiKey = call.headers["x-api-key"]?.trim();
  if (call.methods.includes("api_key") && apiKey) return { kind: "api_key", token: apiKey };
  const bearer = bearerTokenOf(call.headers);
  if (call.methods.includes("bearer") && bearer) return { kind: "bearer", token: bearer };
  return undefined;
}

/**
 * The credential (and its client) behind each prefix, as a query fragment: callers run it alone
 * or inside a larger statement (handle-incoming joins it to the endpoint lookup).
 */
export function credentialRowsByPrefix(sql: Queryable, prefixes: string[]) {
  return sql`
    select c.prefix, c.id as credential_id, c.kind, c.hash, c.revoked_at is not null as revoked,
           coalesce(c.expires_at <= now(), false) as expired, c.expires_at::text as expires_at, c.last_used_at,
           (c.last_used_at is null or c.last_used_at < now() - interval '1 minute') as touch_due,
           k.id as client_id, k.name as client_name, k.active, k.flow_scopes, k.ip_allowlist,
           k.rate_limit_per_minute, k.signing_secret_enc, k.require_signature
    from api_credentials c join api_clients k on k.id = c.client_id
    where c.prefix = any(${sql.array(prefixes)}::text[])`;
}

const bearerTokenOf = (headers: Record<string, string>) => /^Bearer\s+(\S.*)$/i.exec(headers.authorization?.trim() ?? "")?.[1]?.trim();

/** The stored prefixes of the well-formed keys and tokens a request carries (x-api-key, Bearer). */
export function presentedPrefixes(headers: Record<string, string>): string[] {
  const out: string[] = [];
  const apiKey = headers["x-api-key"]?.trim();
  const bearer = bearerTokenOf(headers);
  for (const token of [apiKey, bearer]) {
    const parsed = token ? parseToken(token) : undefined;
    if (parsed && !out.includes(parsed.prefix)) out.push(parsed.prefix);
  }
  return out;
}

type Presented = { kind: TokenKind; token: string };

async function verifyTokenCall(sql: Queryable, call: IncomingCall, presented: Presented): Promise<VerifiedCaller> {
  const parsed = parseToken(presented.token);
  // A malformed token, or one of the other kind in this header, costs no query.
  if (!parsed || parsed.kind !== presented.kind) throw invalidToken(call, presented);
  const prefetched = call.prefetched?.prefixes.includes(parsed.prefix) ? call.prefetched : undefined;
  const rows = prefetched ? prefetched.rows : ((await credentialRowsByPrefix(sql, [parsed.prefix])) as unknown as CredentialRow[]);
  const row = checkTokenRow(call, presented, parsed.prefix, rows);

  const messageId = mustSign(call, row) ? checkSignature(call, row) : undefined;
  const rateLimit = await enforceRateLimit(sql, row);
  if (messageId !== undefined) await rememberOnce(sql, call, row, messageId);
  if (row.touch_due) await touchCredential(sql, row.credential_id);
  return { clientId: row.client_id, clientName: row.client_name, method: presented.kind, credentialPrefix: parsed.prefix, rateLimit };
}

/**
 * verifyTokenCall on rows read earlier (endpoint-cache.ts), for a call that needs nothing written
 * before its flow runs: the credential passes every check and has no rate limit to count, no
 * signature to remember, no last_used_at due. Undefined otherwise: the caller then verifies
 * against fresh rows, so every refusal (401/403/429) comes from what the database says now.
 * The caller still checks the rows' config version and expiry in the call's transaction.
 */
export function verifyCallFromRows(call: IncomingCall, rows: CredentialRow[]): VerifiedCaller | undefined {
  const presented = presentedToken(call);
  const parsed = presented ? parseToken(presented.token) : undefined;
  if (!presented || !parsed || parsed.kind !== presented.kind) return undefined;
  let row: CredentialRow;
  try {
    row = checkTokenRow(call, presented, parsed.prefix, rows);
  } catch {
    return undefined;
  }
  if (mustSign(call, row) || row.rate_limit_per_minute !== null || row.touch_due) return undefined;
  return { clientId: row.client_id, clientName: row.client_name, method: presented.kind, credentialPrefix: parsed.prefix };
}

/** The presented token's row, checked (secret, status, address, scope); throws the 401 or 403 otherwise. */
function checkTokenRow(call: IncomingCall, presented: Presented, prefix: string, rows: CredentialRow[]): CredentialRow {
  const row = rows.find((r) => r.prefix === prefix);
  // Status is told only to a caller who proved the secret: a prefix alone (it appears in logs) reveals nothing.
  if (!row || row.kind !== presented.kind || !verifyToken(presented.token, row.hash)) throw invalidToken(call, presented);
  if (row.revoked) throw unauthorized(call.methods, "CREDENTIAL_REVOKED", "Credential revoked", presented.kind);
  if (row.expired) throw unauthorized(call.methods, "CREDENTIAL_EXPIRED", "Credential expired", presented.kind);
  if (!row.active) throw unauthorized(call.methods, "CLIENT_DISABLED", "API client disabled", presented.kind);
  checkAccess(call, row);
  return row;
}

const invalidToken = (call: IncomingCall, presented: Presented) =>
  unauthorized(call.methods, "INVALID_CREDENTIAL", `Invalid ${LABELS[presented.kind]}`, presented.kind);

const mustSign = (call: IncomingCall, client: ClientRow) =>
  client.require_signature || (call.methods.includes("signature") && hasWebhookHeaders(call.headers));

/** No key or token, but Standard Webhooks headers: the client is the one whose secret signed the message. */
async function verifySignatureOnlyCall(sql: Queryable, call: IncomingCall): Promise<VerifiedCaller> {
  const candidates = await sql<ClientRow[]>`
    select id as client_id, name as client_name, active, flow_scopes, ip_allowlist, rate_limit_per_minute,
           signing_secret_enc, require_signature
    from api_clients where active and signing_secret_enc is not null`;
  let firstFailure: Extract<SignatureCheck, { ok: false }> | undefined;
  for (const candidate of candidates) {
    const check = signatureCheck(call, candidate);
    if (check.ok) {
      checkAccess(call, candidate);
      const rateLimit = await enforceRateLimit(sql, candidate);
      await rememberOnce(sql, call, candidate, check.messageId);
      await sql`update api_clients set last_used_at = now()
                where id = ${candidate.client_id} and (last_used_at is null or last_used_at < now() - interval '1 minute')`;
      return { clientId: candidate.client_id, clientName: candidate.client_name, method: "signature", rateLimit };
    }
    // Missing headers or a stale timestamp fail the same way for every secret: say so rather than "invalid".
    if (check.failure !== "SIGNATURE_INVALID") throw unauthorized(call.methods, check.failure, check.message);
    firstFailure ??= check;
  }
  throw unauthorized(call.methods, "SIGNATURE_INVALID", firstFailure?.message ?? "Invalid webhook signature");
}

/** Allowlist, then scope: both are 403, since the caller did prove who it is. */
function checkAccess(call: IncomingCall, client: ClientRow): void {
  const who = { clientId: client.client_id, clientName: client.client_name };
  if (!isAddressAllowed(client.ip_allowlist, call.remoteAddress)) {
    throw new FlowError("AUTH_FAILED", {
      httpStatus: 403,
      message: appErrorMessage("IP_NOT_ALLOWED"),
      details: { reason: "IP_NOT_ALLOWED", remoteAddress: call.remoteAddress, ...who },
    });
  }
  if (!client.flow_scopes.includes("*") && !client.flow_scopes.includes(call.flowSlug)) {
    throw new FlowError("AUTH_FAILED", {
      httpStatus: 403,
      message: appErrorMessage("FORBIDDEN_FLOW", { flowSlug: call.flowSlug }),
      details: { reason: "FORBIDDEN_FLOW", flowSlug: call.flowSlug, ...who },
    });
  }
}

function signatureCheck(call: IncomingCall, client: ClientRow): SignatureCheck {
  const invalid = { ok: false, failure: "SIGNATURE_INVALID", message: "Invalid webhook signature" } as const;
  if (client.signing_secret_enc === null) return invalid;
  let secret: string;
  try {
    secret = decryptSecret(client.signing_secret_enc);
  } catch (error) {
    // One unreadable secret (sealed by a key we no longer hold) must not break the other clients.
    logger().warn({ err: error, clientName: client.client_name }, "cannot read an API client's signing secret");
    return invalid;
  }
  return verifyWebhookSignature(secret, call.headers, call.rawBody ?? "", {
    toleranceSeconds: call.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS,
  });
}

/** The signature a client must add to its key or token; returns the message id to remember. */
function checkSignature(call: IncomingCall, client: ClientRow): string {
  const check = signatureCheck(call, client);
  if (!check.ok) throw unauthorized([...call.methods, "signature"], check.failure, check.message);
  return check.messageId;
}

async function rememberOnce(sql: Queryable, call: IncomingCall, client: ClientRow, messageId: string): Promise<void> {
  if (!(await rememberWebhookMessage(sql, client.client_id, messageId))) {
    throw unauthorized([...call.methods, "signature"], "SIGNATURE_REPLAYED", "Webhook message already received (replayed webhook-id)");
  }
}

async function enforceRateLimit(sql: Queryable, client: ClientRow): Promise<RateLimitResult | undefined> {
  if (client.rate_limit_per_minute === null) return undefined;
  const result = await countRateLimitedCall(sql, `client:${client.client_id}`, client.rate_limit_per_minute);
  if (result.allowed) return result;
  throw new FlowError("AUTH_FAILED", {
    httpStatus: 429,
    retryable: true,
    message: appErrorMessage("RATE_LIMITED", { limit: result.limit }),
    details: {
      reason: "RATE_LIMITED",
      retryAfterSeconds: result.retryAfterSeconds,
      rateLimitHeaders: rateLimitHeaders(result),
      limit: result.limit,
      clientId: client.client_id,
      clientName: client.client_name,
    },
  });
}

/** At most one write a minute per credential: the guard in the WHERE keeps concurrent callers from piling up. */
async function touchCredential(sql: Queryable, credentialId: string): Promise<void> {
  await sql`
    with touched as (
      update api_credentials set last_used_at = now()
      where id = ${credentialId} and (last_used_at is null or last_used_at < now() - interval '1 minute')
      returning client_id)
    update api_clients set last_used_at = now() where id in (select client_id from touched)`;
}

/** What a call without credentials is told (also the OpenAPI 401 example). */
export function missingMessage(methods: readonly IncomingAuthMethod[]): string {
  const key = methods.includes("api_key");
  const bearer = methods.includes("bearer");
  if (key && bearer) return "Missing API key or bearer token";
  if (key) return "Missing API key";
  if (bearer) return "Missing bearer token";
  return "Missing webhook signature";
}

/** A 401 with the challenge for every method the flow accepts (RFC 9110 §11.6.1). */
function unauthorized(accepted: readonly IncomingAuthMethod[], failure: AuthFailure, message: string, presented?: TokenKind): FlowError {
  const methods = new Set(accepted);
  const challenges: string[] = [];
  if (methods.has("bearer")) {
    const invalidToken = presented === "bearer" && failure !== "MISSING_CREDENTIALS" && !failure.startsWith("SIGNATURE");
    challenges.push(`Bearer realm="flowport"${invalidToken ? ', error="invalid_token"' : ""}`);
  }
  if (methods.has("api_key")) challenges.push('ApiKey realm="flowport", header="x-api-key"');
  if (methods.has("signature")) challenges.push('StandardWebhooks realm="flowport"');
  return new FlowError("AUTH_FAILED", { message, details: { failure, wwwAuthenticate: challenges.join(", ") } });
}
