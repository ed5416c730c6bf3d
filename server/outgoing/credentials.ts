/**
 * Credentials for outgoing connections: the API keys, tokens, passwords, signing secrets and OAuth2
 * client secrets the external system's owner gives us (the seed's credential rule). The secret is
 * encrypted at rest (server/secrets/crypto.ts, with its key id) and never leaves this module again
 * except as the request headers built from it: lists show the last 4 characters at most.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { FlowError } from "@/server/engine/errors";
import { signingKeyOf, webhookHeaders } from "@/server/incoming/webhook-signature";
import type { Queryable } from "@/server/db/queryable";
import { decryptSecret, encryptSecret, maskSecret } from "@/server/secrets/crypto";
import { getAccessToken } from "./oauth2";

export const CREDENTIAL_TYPES = ["api_key", "bearer", "basic", "webhook_signing", "oauth2_client_credentials"] as const;
export type CredentialType = (typeof CREDENTIAL_TYPES)[number];

export const DEFAULT_API_KEY_HEADER = "x-api-key";

export const nameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "use letters, digits, . _ and - (up to 64)");
/** RFC 9110 token characters. */
export const headerNameSchema = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, "not a valid HTTP header name");
const httpUrlSchema = z.url({ protocol: /^https?$/, message: "must be an http(s) URL" });

/** Non-secret settings per type; unknown keys are refused so a typo does not pass silently. */
const configSchemas = {
  api_key: z.strictObject({ header: headerNameSchema.optional() }),
  bearer: z.strictObject({}),
  basic: z.strictObject({ username: z.string().min(1).max(200).refine((u) => !u.includes(":"), "a Basic username cannot contain ':'") }),
  webhook_signing: z.strictObject({}),
  oauth2_client_credentials: z.strictObject({
    tokenUrl: httpUrlSchema,
    clientId: z.string().min(1).max(500),
    scope: z.string().max(1000).optional(),
    audience: z.string().max(1000).optional(),
    clientAuth: z.enum(["basic", "body"]).optional(),
  }),
} satisfies Record<CredentialType, z.ZodType>;

const setCredentialSchema = z.strictObject({
  name: nameSchema,
  type: z.enum(CREDENTIAL_TYPES),
  // Header values cannot hold control characters (CR/LF would split the request).
  secret: z
    .string()
    .min(1, "the secret is empty")
    .max(10_000)
    .refine((s) => ![...s].some((c) => c < " " || c === "\x7f"), "the secret contains control characters (a stray newline?)"),
  config: z.record(z.string(), z.string()).default({}),
  owner: z.string().min(1).max(200).default("external"),
});
export type SetCredentialInput = z.input<typeof setCredentialSchema>;

/** What any API shows of a credential: never the secret, at most its last 4 characters. */
export interface CredentialSummary {
  id: string;
  name: string;
  type: CredentialType;
  config: Record<string, string>;
  /** `••••1234` (or `••••` for secrets too short to show any of). */
  masked: string;
  owner: string;
  /** OAuth2: when the cached access token expires, if one is cached. */
  accessTokenExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export function parseInput<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`);
  throw new FlowError("VALIDATION_FAILED", { message: `Invalid ${what}: ${issues.join("; ")}`, details: { issues } });
}

export const credentialNotFound = (name: string) =>
  new FlowError("NOT_FOUND", {
    message: `No credential named "${name}" (create it with: flowport credentials set ${name} --type …)`,
    details: { reason: "CREDENTIAL_NOT_FOUND", name },
  });

/** Creates or replaces a credential; a new secret also drops any cached OAuth2 token. */
export async function setCredential(sql: Queryable, input: SetCredentialInput): Promise<CredentialSummary> {
  const data = parseInput(setCredentialSchema, input, "credential");
  const config = parseInput(configSchemas[data.type], data.config, `${data.type} credential settings`) as Record<string, string>;
  if (data.type === "webhook_signing" && !signingKeyOf(data.secret)) {
    throw new FlowError("VALIDATION_FAILED", { message: "A webhook signing secret must be whsec_ followed by 24 to 64 bytes in base64" });
  }
  // The same rule as maskSecret: short secrets show nothing, since 4 characters would be too much of them.
  const last4 = maskSecret(data.secret).slice("••••".length);
  await sql`
    insert into credentials (name, type, config, secret_enc, secret_last4, owner)
    values (${data.name}, ${data.type}, ${sql.json(config)}, ${encryptSecret(data.secret)}, ${last4}, ${data.owner})
    on conflict (name) do update set type = excluded.type, config = excluded.config, secret_enc = excluded.secret_enc,
      secret_last4 = excluded.secret_last4, owner = excluded.owner, access_token_enc = null,
      access_token_expires_at = null, updated_at = now()`;
  return (await findCredentials(sql, data.name))[0]!;
}

/**
 * Edits a credential's non-secret settings (header name, username, token URL, owner) and keeps its
 * secret: the UI never holds the secret, so an edit must not need it. Changing the type needs a new
 * secret (setCredential). New settings drop a cached OAuth2 token, which was issued for the old ones.
 */
export async function updateCredentialSettings(
  sql: Queryable,
  name: string,
  patch: { config?: Record<string, string>; owner?: string },
): Promise<CredentialSummary> {
  const current = await getCredential(sql, name);
  const config = patch.config === undefined ? current.config : (parseInput(configSchemas[current.type], patch.config, `${current.type} credential settings`) as Record<string, string>);
  const owner = patch.owner === undefined ? current.owner : parseInput(z.string().min(1).max(200), patch.owner, "credential owner");
  await sql`
    update credentials set config = ${sql.json(config)}, owner = ${owner}, access_token_enc = null, access_token_expires_at = null,
      updated_at = now()
    where name = ${name}`;
  return getCredential(sql, name);
}

interface SummaryRow {
  id: string;
  name: string;
  type: CredentialType;
  config: Record<string, string>;
  secret_last4: string;
  owner: string;
  access_token_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

async function findCredentials(sql: Queryable, name?: string): Promise<CredentialSummary[]> {
  // secret_enc and access_token_enc are deliberately not selected.
  const rows = await sql<SummaryRow[]>`
    select id, name, type, config, secret_last4, owner, access_token_expires_at, created_at, updated_at
    from credentials ${name === undefined ? sql`` : sql`where name = ${name}`} order by name`;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    type: r.type,
    config: r.config,
    masked: `••••${r.secret_last4}`,
    owner: r.owner,
    accessTokenExpiresAt: r.access_token_expires_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

export function listCredentials(sql: Queryable): Promise<CredentialSummary[]> {
  return findCredentials(sql);
}

export async function getCredential(sql: Queryable, name: string): Promise<CredentialSummary> {
  const [found] = await findCredentials(sql, name);
  if (!found) throw credentialNotFound(name);
  return found;
}

/** Deletes a credential no connection uses. */
export async function deleteCredential(sql: Queryable, name: string): Promise<void> {
  const users = await sql<{ name: string }[]>`select name from connections where credential_name = ${name} order by name`;
  if (users.length > 0) {
    throw new FlowError("VALIDATION_FAILED", {
      message: `Credential "${name}" is used by connection(s) ${users.map((u) => u.name).join(", ")}`,
      details: { reason: "CREDENTIAL_IN_USE", connections: users.map((u) => u.name) },
    });
  }
  const deleted = await sql`delete from credentials where name = ${name}`;
  if (deleted.count === 0) throw credentialNotFound(name);
}

export interface CredentialRequest {
  method: string;
  url: string;
  /** The exact body text that will be sent: signatures are computed over these bytes. */
  body: string | undefined;
  /** The connection's SSRF override, also applied to an OAuth2 token URL. */
  allowPrivate?: boolean;
  timeoutMs?: number;
  now?: () => Date;
}

export interface ResolvedCredential {
  type: CredentialType;
  headers: Record<string, string>;
}

/** What resolving a credential reads (a caller may read it along with something else). */
export interface StoredCredential {
  type: CredentialType;
  config: Record<string, string>;
  secret_enc: string;
}

/** The credential's type and the headers to attach to one request. */
/**
 * Headers of the credentials that add the same ones to every request, per row object read: the
 * connection cache (connection-cache.ts) keeps one object per row version, so a secret is decrypted
 * once per version rather than on every delivery, and a changed row (a new object) is read anew.
 */
const staticHeaders = new WeakMap<StoredCredential, ResolvedCredential>();

export async function resolveCredential(
  sql: Queryable,
  name: string,
  request: CredentialRequest,
  /** The row, when the caller already read it in this request (see getConnectionForSend). */
  stored?: StoredCredential,
): Promise<ResolvedCredential> {
  const [row] = stored
    ? [stored]
    : await sql<StoredCredential[]>`
    select type, config, secret_enc from credentials where name = ${name}`;
  if (!row) throw credentialNotFound(name);
  const known = staticHeaders.get(row);
  if (known) return known;
  const resolved = await resolveRow(sql, name, row, request);
  if (stored && (row.type === "api_key" || row.type === "bearer" || row.type === "basic")) {
    Object.freeze(resolved.headers); // shared by every request through this row
    staticHeaders.set(row, resolved);
  }
  return resolved;
}

async function resolveRow(sql: Queryable, name: string, row: StoredCredential, request: CredentialRequest): Promise<ResolvedCredential> {
  const now = request.now ?? (() => new Date());
  switch (row.type) {
    case "api_key":
      return { type: row.type, headers: { [(row.config.header ?? DEFAULT_API_KEY_HEADER).toLowerCase()]: decryptSecret(row.secret_enc) } };
    case "bearer":
      return { type: row.type, headers: { authorization: `Bearer ${decryptSecret(row.secret_enc)}` } };
    case "basic": {
      const pair = `${row.config.username ?? ""}:${decryptSecret(row.secret_enc)}`;
      return { type: row.type, headers: { authorization: `Basic ${Buffer.from(pair, "utf8").toString("base64")}` } };
    }
    case "webhook_signing":
      // A fresh id per attempt: receivers that remember ids (ours do) would take a retry for a replay.
      // Idempotency-Key is what ties the attempts of one delivery together.
      return { type: row.type, headers: webhookHeaders(decryptSecret(row.secret_enc), `msg_${randomBytes(16).toString("hex")}`, request.body ?? "", now()) };
    case "oauth2_client_credentials": {
      const token = await getAccessToken(sql, name, { allowPrivate: request.allowPrivate, timeoutMs: request.timeoutMs, now });
      return { type: row.type, headers: { authorization: `Bearer ${token}` } };
    }
  }
}

/** The headers a credential adds to one request (see resolveCredential). */
export async function resolveCredentialHeaders(sql: Queryable, name: string, request: CredentialRequest): Promise<Record<string, string>> {
  return (await resolveCredential(sql, name, request)).headers;
}
