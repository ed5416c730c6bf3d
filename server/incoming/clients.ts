/**
 * API clients: the external systems that may call our incoming flows, with the keys and tokens
 * Flowport issues them (the seed: "StrategicERP shares the required API token"). The one home for
 * managing them: the CLI, tRPC and seeding all call these functions. Plaintext keys, tokens and
 * signing secrets leave this module once, in the result that created them, and are never stored:
 * tokens as HMACs (server/secrets/api-tokens.ts), signing secrets encrypted (server/secrets/crypto.ts).
 */
import { z } from "zod";
import { slugSchema } from "@/flows/format";
import { FlowError } from "@/server/engine/errors";
import { inTransaction, type Queryable } from "@/server/db/queryable";
import { generateToken, type TokenKind } from "@/server/secrets/api-tokens";
import { decryptSecret, encryptSecret, maskSecret } from "@/server/secrets/crypto";
import { canonicalAllowlistEntry, invalidAllowlistEntries } from "./ip-allowlist";
import { generateSigningSecret, signingKeyOf } from "./webhook-signature";

export type CredentialChoice = TokenKind | "both";

export interface ApiClient {
  id: string;
  name: string;
  description: string;
  /** Flow slugs this client may call; "*" for all. */
  flowScopes: string[];
  /** Addresses and CIDR ranges; empty admits any address. */
  ipAllowlist: string[];
  rateLimitPerMinute: number | null;
  requireSignature: boolean;
  /** The signing secret masked (••••abcd), or null when the client has none. */
  signingSecret: string | null;
  active: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface CredentialSummary {
  prefix: string;
  kind: TokenKind;
  /** What a list shows: the public prefix and a mask, never the secret. */
  masked: string;
  status: "active" | "expired" | "revoked";
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface ApiClientSummary extends ApiClient {
  credentials: CredentialSummary[];
}

/** A newly issued key or token: `token` is shown to the user this once. */
export interface IssuedCredential {
  kind: TokenKind;
  prefix: string;
  token: string;
  expiresAt: Date | null;
}

const clientNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "use letters, digits, . _ and - (up to 64)");
const flowScopesSchema = z.array(z.union([z.literal("*"), slugSchema]));
const rateLimitSchema = z.int().min(1).max(1_000_000).nullable();
const expiresInDaysSchema = z.int().min(1).max(3650).optional();
const ipAllowlistSchema = z.array(z.string()).superRefine((entries, ctx) => {
  const invalid = invalidAllowlistEntries(entries);
  if (invalid.length > 0) ctx.addIssue({ code: "custom", message: `not an IP address or CIDR range: ${invalid.join(", ")}` });
});

const createClientSchema = z.strictObject({
  name: clientNameSchema,
  description: z.string().max(500).default(""),
  flowScopes: flowScopesSchema,
  ipAllowlist: ipAllowlistSchema.default([]),
  rateLimitPerMinute: rateLimitSchema.default(null),
  withSigningSecret: z.boolean().default(false),
  requireSignature: z.boolean().default(false),
  credentialKind: z.enum(["api_key", "bearer", "both"]),
  expiresInDays: expiresInDaysSchema,
});
export type CreateClientInput = z.input<typeof createClientSchema>;

const updateClientSchema = z.strictObject({
  description: z.string().max(500).optional(),
  flowScopes: flowScopesSchema.optional(),
  ipAllowlist: ipAllowlistSchema.optional(),
  rateLimitPerMinute: rateLimitSchema.optional(),
  requireSignature: z.boolean().optional(),
  active: z.boolean().optional(),
});
export type UpdateClientInput = z.input<typeof updateClientSchema>;

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`);
  throw new FlowError("VALIDATION_FAILED", { message: `Invalid API client: ${issues.join("; ")}`, details: { issues } });
}

const notFound = (name: string) =>
  new FlowError("NOT_FOUND", { message: `No API client named "${name}"`, details: { reason: "CLIENT_NOT_FOUND", name } });


const kindsOf = (choice: CredentialChoice): TokenKind[] => (choice === "both" ? ["api_key", "bearer"] : [choice]);

/** Creates a client and its first credential(s); the plaintext key, token and signing secret are returned once. */
export async function createClient(
  sql: Queryable,
  input: CreateClientInput,
): Promise<{ client: ApiClient; credentials: IssuedCredential[]; signingSecret?: string }> {
  const data = parse(createClientSchema, input);
  const signingSecret = data.withSigningSecret || data.requireSignature ? generateSigningSecret() : undefined;
  return inTransaction(sql, async (tx) => {
    const inserted = await tx<{ id: string }[]>`
      insert into api_clients (name, description, flow_scopes, ip_allowlist, rate_limit_per_minute, signing_secret_enc, require_signature)
      values (${data.name}, ${data.description}, ${tx.array(data.flowScopes)}::text[], ${tx.array(data.ipAllowlist.map(canonicalAllowlistEntry))}::text[],
              ${data.rateLimitPerMinute}, ${signingSecret ? encryptSecret(signingSecret) : null}, ${data.requireSignature})
      on conflict (name) do nothing returning id`;
    if (inserted.length === 0) {
      throw new FlowError("DUPLICATE_RECORD", {
        message: `An API client named "${data.name}" already exists`,
        details: { reason: "CONFLICT", name: data.name },
      });
    }
    const credentials: IssuedCredential[] = [];
    for (const kind of kindsOf(data.credentialKind)) credentials.push(await insertCredential(tx, inserted[0]!.id, kind, daysToSeconds(data.expiresInDays)));
    const client = (await findClients(tx, data.name))[0]!;
    return { client, credentials, ...(signingSecret ? { signingSecret } : {}) };
  });
}

const daysToSeconds = (days: number | undefined) => (days === undefined ? null : days * 86_400);

/** Inserts a new credential living `lifetimeSeconds` (null: until revoked). */
async function insertCredential(sql: Queryable, clientId: string, kind: TokenKind, lifetimeSeconds: number | null): Promise<IssuedCredential> {
  // The 8-character id has 47 random bits; a clash with the unique prefix just draws again.
  for (;;) {
    const generated = generateToken(kind);
    const [row] = await sql<{ expires_at: Date | null }[]>`
      insert into api_credentials (client_id, kind, prefix, hash, expires_at)
      values (${clientId}, ${kind}, ${generated.prefix}, ${generated.hash},
              ${lifetimeSeconds === null ? null : sql`now() + make_interval(secs => ${lifetimeSeconds})`})
      on conflict (prefix) do nothing returning expires_at`;
    if (row) return { kind, prefix: generated.prefix, token: generated.token, expiresAt: row.expires_at };
  }
}

async function clientIdOf(sql: Queryable, name: string, lock = false): Promise<string> {
  const [row] = lock
    ? await sql<{ id: string }[]>`select id from api_clients where name = ${name} for update`
    : await sql<{ id: string }[]>`select id from api_clients where name = ${name}`;
  if (!row) throw notFound(name);
  return row.id;
}

/** Issues one more key or token for a client (the ones it has stay valid). */
export async function issueCredential(
  sql: Queryable,
  clientName: string,
  kind: TokenKind,
  options: { expiresInDays?: number } = {},
): Promise<IssuedCredential> {
  const expiresInDays = parse(expiresInDaysSchema, options.expiresInDays);
  return insertCredential(sql, await clientIdOf(sql, clientName), kind, daysToSeconds(expiresInDays));
}

/**
 * Issues a fresh credential of each kind rotated and lets the current ones run out after
 * `overlapHours`, so the caller can switch without a moment in which neither works.
 * Without `kind`, every kind the client currently holds is rotated (an API key when it has none);
 * without `expiresInDays`, a new credential lives as long as the one it replaces did.
 */
export async function rotateCredentials(
  sql: Queryable,
  clientName: string,
  options: { overlapHours?: number; kind?: CredentialChoice; expiresInDays?: number } = {},
): Promise<{ credentials: IssuedCredential[]; retiring: { prefix: string; kind: TokenKind; expiresAt: Date }[] }> {
  const overlapHours = parse(z.number().min(0).max(24 * 90), options.overlapHours ?? 24);
  const expiresInDays = parse(expiresInDaysSchema, options.expiresInDays);
  return inTransaction(sql, async (tx) => {
    const clientId = await clientIdOf(tx, clientName, true);
    // Per kind held: the longest lifetime among the current credentials (null when one never expires).
    const held = await tx<{ kind: TokenKind; lifetime: number | null }[]>`
      select kind, case when bool_or(expires_at is null) then null
                        else max(extract(epoch from expires_at - created_at))::float8 end as lifetime
      from api_credentials
      where client_id = ${clientId} and revoked_at is null and (expires_at is null or expires_at > now())
      group by kind order by kind`;
    const kinds: TokenKind[] = options.kind ? kindsOf(options.kind) : held.length > 0 ? held.map((r) => r.kind) : ["api_key"];
    const retiring = await tx<{ prefix: string; kind: TokenKind; expires_at: Date }[]>`
      update api_credentials
      set expires_at = least(coalesce(expires_at, 'infinity'), now() + make_interval(secs => ${overlapHours * 3600}))
      where client_id = ${clientId} and kind in ${tx(kinds)} and revoked_at is null and (expires_at is null or expires_at > now())
      returning prefix, kind, expires_at`;
    const credentials: IssuedCredential[] = [];
    for (const kind of kinds) {
      const lifetime = expiresInDays === undefined ? (held.find((r) => r.kind === kind)?.lifetime ?? null) : daysToSeconds(expiresInDays);
      credentials.push(await insertCredential(tx, clientId, kind, lifetime === null ? null : Math.round(lifetime)));
    }
    return { credentials, retiring: retiring.map((r) => ({ prefix: r.prefix, kind: r.kind, expiresAt: r.expires_at })) };
  });
}

/** Disables a client and revokes all its credentials, effective on the next request. */
export async function revokeClient(sql: Queryable, name: string): Promise<{ name: string; revokedPrefixes: string[] }> {
  return inTransaction(sql, async (tx) => {
    const [client] = await tx<{ id: string }[]>`update api_clients set active = false where name = ${name} returning id`;
    if (!client) throw notFound(name);
    const revoked = await tx<{ prefix: string }[]>`
      update api_credentials set revoked_at = now() where client_id = ${client.id} and revoked_at is null returning prefix`;
    return { name, revokedPrefixes: revoked.map((r) => r.prefix) };
  });
}

/** Revokes one key or token by its prefix (fpk_xxxxxxxx), effective on the next request. */
export async function revokeCredential(sql: Queryable, prefix: string): Promise<{ prefix: string; clientName: string; revokedAt: Date }> {
  const [row] = await sql<{ client_name: string; revoked_at: Date }[]>`
    update api_credentials c set revoked_at = coalesce(c.revoked_at, now())
    from api_clients k where k.id = c.client_id and c.prefix = ${prefix}
    returning k.name as client_name, c.revoked_at`;
  if (!row) throw new FlowError("NOT_FOUND", { message: `No credential with prefix ${prefix}`, details: { reason: "CREDENTIAL_NOT_FOUND" } });
  return { prefix, clientName: row.client_name, revokedAt: row.revoked_at };
}

/** Changes description, scopes, allowlist, rate limit, signature requirement or active flag. */
export async function updateClient(sql: Queryable, name: string, patch: UpdateClientInput): Promise<ApiClient> {
  const data = parse(updateClientSchema, patch);
  return inTransaction(sql, async (tx) => {
    const [current] = await tx<{ has_secret: boolean }[]>`
      select signing_secret_enc is not null as has_secret from api_clients where name = ${name} for update`;
    if (!current) throw notFound(name);
    if (data.requireSignature && !current.has_secret) {
      throw new FlowError("VALIDATION_FAILED", { message: `API client "${name}" has no signing secret: set one before requiring signatures` });
    }
    await tx`
      update api_clients set
        description = coalesce(${data.description ?? null}, description),
        flow_scopes = coalesce(${data.flowScopes ? tx.array(data.flowScopes) : null}::text[], flow_scopes),
        ip_allowlist = coalesce(${data.ipAllowlist ? tx.array(data.ipAllowlist.map(canonicalAllowlistEntry)) : null}::text[], ip_allowlist),
        rate_limit_per_minute = ${data.rateLimitPerMinute === undefined ? tx`rate_limit_per_minute` : data.rateLimitPerMinute},
        require_signature = coalesce(${data.requireSignature ?? null}::boolean, require_signature),
        active = coalesce(${data.active ?? null}::boolean, active)
      where name = ${name}`;
    return (await findClients(tx, name))[0]!;
  });
}

/**
 * Sets the client's Standard Webhooks secret: a new random one by default, the given whsec_ secret,
 * or none (null, which also drops the signature requirement). Returns the new secret once.
 */
export async function setSigningSecret(
  sql: Queryable,
  name: string,
  secret: string | null = generateSigningSecret(),
): Promise<{ signingSecret: string | null }> {
  if (secret !== null && !signingKeyOf(secret)) {
    throw new FlowError("VALIDATION_FAILED", { message: "A signing secret must be whsec_ followed by 24 to 64 bytes in base64" });
  }
  const updated = await sql`
    update api_clients set signing_secret_enc = ${secret === null ? null : encryptSecret(secret)},
      require_signature = require_signature and ${secret !== null}
    where name = ${name} returning 1`;
  if (updated.length === 0) throw notFound(name);
  return { signingSecret: secret };
}

interface ClientRow {
  id: string;
  name: string;
  description: string;
  flow_scopes: string[];
  ip_allowlist: string[];
  rate_limit_per_minute: number | null;
  signing_secret_enc: string | null;
  require_signature: boolean;
  active: boolean;
  created_at: Date;
  last_used_at: Date | null;
}

async function findClients(sql: Queryable, name?: string): Promise<ApiClient[]> {
  const rows = await sql<ClientRow[]>`
    select id, name, description, flow_scopes, ip_allowlist, rate_limit_per_minute, signing_secret_enc,
           require_signature, active, created_at, last_used_at
    from api_clients ${name === undefined ? sql`` : sql`where name = ${name}`} order by name`;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    flowScopes: r.flow_scopes,
    ipAllowlist: r.ip_allowlist,
    rateLimitPerMinute: r.rate_limit_per_minute,
    requireSignature: r.require_signature,
    signingSecret: r.signing_secret_enc === null ? null : maskedSigningSecret(r.signing_secret_enc),
    active: r.active,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  }));
}

function maskedSigningSecret(stored: string): string {
  try {
    return maskSecret(decryptSecret(stored));
  } catch {
    return "•••• (unreadable: encrypted with another FLOWPORT_SECRET_KEY)";
  }
}

/** Every client with its credentials: prefixes, status, expiry and last use; no secrets. */
export async function listClients(sql: Queryable, options: { name?: string } = {}): Promise<ApiClientSummary[]> {
  const clients = await findClients(sql, options.name);
  if (clients.length === 0) return [];
  const rows = await sql<(Omit<CredentialSummary, "masked"> & { clientId: string })[]>`
    select client_id as "clientId", prefix, kind, created_at as "createdAt", expires_at as "expiresAt",
           revoked_at as "revokedAt", last_used_at as "lastUsedAt",
           case when revoked_at is not null then 'revoked' when expires_at <= now() then 'expired' else 'active' end as status
    from api_credentials where client_id in ${sql(clients.map((c) => c.id))} order by created_at, kind, prefix`;
  return clients.map((client) => ({
    ...client,
    credentials: rows
      .filter((r) => r.clientId === client.id)
      .map(({ clientId: _clientId, ...r }) => ({ ...r, masked: `${r.prefix}_••••` })),
  }));
}

/** One client with its credentials, or NOT_FOUND. */
export async function getClient(sql: Queryable, name: string): Promise<ApiClientSummary> {
  const [client] = await listClients(sql, { name });
  if (!client) throw notFound(name);
  return client;
}
