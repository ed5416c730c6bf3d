/**
 * What a person (console or CLI) does to API clients: one domain operation per action, each in one
 * transaction with its audit row (prefixes only, never a secret), so the console and the CLI leave
 * the same trail. The rules themselves — names, scopes, IP ranges, limits — are in ./clients.ts.
 */
import type { Sql } from "postgres";
import { auditAs, type Actor } from "@/server/audit/actor";
import type { Queryable } from "@/server/db/queryable";
import type { TokenKind } from "@/server/secrets/api-tokens";
import {
  createClient,
  issueCredential,
  revokeClient,
  revokeCredential,
  rotateCredentials,
  setSigningSecret,
  updateClient,
  type CreateClientInput,
  type CredentialChoice,
  type UpdateClientInput,
} from "./clients";

export async function createApiClient(sql: Sql, input: CreateClientInput, actor: Actor) {
  return sql.begin(async (tx) => {
    const created = await createClient(tx, input);
    await auditAs(tx, actor, "client.created", created.client.name, {
      flowScopes: created.client.flowScopes,
      issued: created.credentials.map((c) => ({ kind: c.kind, prefix: c.prefix, expiresAt: c.expiresAt })),
      signingSecret: created.signingSecret !== undefined,
    });
    return created;
  });
}

export async function updateApiClient(sql: Sql, input: UpdateClientInput & { name: string }, actor: Actor) {
  const { name, ...patch } = input;
  return sql.begin(async (tx) => {
    const client = await updateClient(tx, name, patch);
    await auditAs(tx, actor, "client.updated", name, { changed: Object.keys(patch) });
    return client;
  });
}

/** One more key or token; the ones the client holds stay valid. */
export async function issueClientCredential(sql: Sql, input: { name: string; kind: TokenKind; expiresInDays?: number }, actor: Actor) {
  return sql.begin(async (tx) => {
    const issued = await issueCredential(tx, input.name, input.kind, { expiresInDays: input.expiresInDays });
    await auditAs(tx, actor, "client.key_issued", input.name, { kind: issued.kind, prefix: issued.prefix, expiresAt: issued.expiresAt });
    return issued;
  });
}

/** New credentials now; the current ones keep working for `overlapHours`, then expire. */
export async function rotateClientCredentials(
  sql: Sql,
  input: { name: string; overlapHours?: number; kind?: CredentialChoice; expiresInDays?: number },
  actor: Actor,
) {
  return sql.begin(async (tx) => {
    const rotated = await rotateCredentials(tx, input.name, { overlapHours: input.overlapHours, kind: input.kind, expiresInDays: input.expiresInDays });
    await auditAs(tx, actor, "client.keys_rotated", input.name, {
      overlapHours: input.overlapHours ?? null,
      issued: rotated.credentials.map((c) => ({ kind: c.kind, prefix: c.prefix })),
      retiring: rotated.retiring.map((c) => ({ prefix: c.prefix, until: c.expiresAt })),
    });
    return rotated;
  });
}

/** Revokes one key or token at once (the next request with it fails). */
export async function revokeClientCredential(sql: Sql, input: { prefix: string }, actor: Actor) {
  return sql.begin(async (tx) => {
    const revoked = await revokeCredential(tx, input.prefix);
    await auditAs(tx, actor, "client.key_revoked", revoked.clientName, { prefix: revoked.prefix });
    return revoked;
  });
}

/** Disables the client and revokes every credential it holds. */
export async function revokeApiClient(sql: Sql, input: { name: string }, actor: Actor) {
  return sql.begin(async (tx) => {
    const revoked = await revokeClient(tx, input.name);
    await auditAs(tx, actor, "client.revoked", input.name, { revokedPrefixes: revoked.revokedPrefixes });
    return revoked;
  });
}

/** A new Standard Webhooks signing secret (returned once), or none. */
export async function changeClientSigningSecret(sql: Sql, input: { name: string; action: "generate" | "remove" }, actor: Actor) {
  return sql.begin(async (tx) => {
    const result = input.action === "generate" ? await setSigningSecret(tx, input.name) : await setSigningSecret(tx, input.name, null);
    await auditAs(tx, actor, input.action === "generate" ? "client.signing_secret_issued" : "client.signing_secret_removed", input.name);
    return result;
  });
}

/** Incoming flows a client may be scoped to (the console's scope picker). */
export async function listClientScopeOptions(sql: Queryable): Promise<{ slug: string; name: string; published: boolean }[]> {
  const rows = await sql<{ slug: string; name: string; published: boolean }[]>`
    select slug, name, published_version is not null as published from flows where direction = 'incoming' order by slug`;
  return [...rows];
}
