/**
 * API clients ("credentials issued by the ERP"): who may call our incoming flows. Every write goes
 * through server/incoming/clients.ts, which also validates (names, scopes, IP ranges, limits). A
 * key, token or signing secret appears in exactly one answer — the one that created it — and
 * every issue, rotation and revocation is audited (prefixes only, never the secret).
 */
import { z } from "zod";
import {
  createClient,
  getClient,
  issueCredential,
  listClients,
  revokeClient,
  revokeCredential,
  rotateCredentials,
  setSigningSecret,
  updateClient,
} from "@/server/incoming/clients";
import { audit } from "../audited";
import { guarded, router } from "../init";

const name = z.string().min(1).max(64);
const kind = z.enum(["api_key", "bearer"]);
const choice = z.enum(["api_key", "bearer", "both"]);
const expiresInDays = z.int().min(1).max(3650).optional();

export const clientsRouter = router({
  list: guarded("clients.read").query(({ ctx }) => listClients(ctx.sql)),

  get: guarded("clients.read")
    .input(z.object({ name }))
    .query(({ ctx, input }) => getClient(ctx.sql, input.name)),

  /** Incoming flows a client may be scoped to. */
  scopeOptions: guarded("clients.read").query(({ ctx }) =>
    ctx.sql<{ slug: string; name: string; published: boolean }[]>`
      select slug, name, published_version is not null as published from flows where direction = 'incoming' order by slug`.then((rows) => [...rows]),
  ),

  create: guarded("clients.manage")
    .input(
      z.object({
        name,
        description: z.string().max(500).default(""),
        flowScopes: z.array(z.string().max(80)).max(200),
        ipAllowlist: z.array(z.string().max(100)).max(200).default([]),
        rateLimitPerMinute: z.int().nullable().default(null),
        withSigningSecret: z.boolean().default(false),
        requireSignature: z.boolean().default(false),
        credentialKind: choice,
        expiresInDays,
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.sql.begin(async (tx) => {
        const created = await createClient(tx, input);
        await audit(tx, ctx.user, "client.created", created.client.name, {
          flowScopes: created.client.flowScopes,
          issued: created.credentials.map((c) => ({ kind: c.kind, prefix: c.prefix, expiresAt: c.expiresAt })),
          signingSecret: created.signingSecret !== undefined,
        });
        return created;
      }),
    ),

  update: guarded("clients.manage")
    .input(
      z.object({
        name,
        description: z.string().max(500).optional(),
        flowScopes: z.array(z.string().max(80)).max(200).optional(),
        ipAllowlist: z.array(z.string().max(100)).max(200).optional(),
        rateLimitPerMinute: z.int().nullable().optional(),
        requireSignature: z.boolean().optional(),
        active: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input: { name: clientName, ...patch } }) =>
      ctx.sql.begin(async (tx) => {
        const client = await updateClient(tx, clientName, patch);
        await audit(tx, ctx.user, "client.updated", clientName, { changed: Object.keys(patch) });
        return client;
      }),
    ),

  /** One more key or token; the ones the client holds stay valid. The plaintext is in this answer only. */
  issue: guarded("clients.manage")
    .input(z.object({ name, kind, expiresInDays }))
    .mutation(({ ctx, input }) =>
      ctx.sql.begin(async (tx) => {
        const issued = await issueCredential(tx, input.name, input.kind, { expiresInDays: input.expiresInDays });
        await audit(tx, ctx.user, "client.key_issued", input.name, { kind: issued.kind, prefix: issued.prefix, expiresAt: issued.expiresAt });
        return issued;
      }),
    ),

  /** New credentials now; the current ones keep working for `overlapHours`, then expire. */
  rotate: guarded("clients.manage")
    .input(z.object({ name, overlapHours: z.number().min(0).max(24 * 90).default(24), kind: choice.optional(), expiresInDays }))
    .mutation(({ ctx, input }) =>
      ctx.sql.begin(async (tx) => {
        const rotated = await rotateCredentials(tx, input.name, { overlapHours: input.overlapHours, kind: input.kind, expiresInDays: input.expiresInDays });
        await audit(tx, ctx.user, "client.keys_rotated", input.name, {
          overlapHours: input.overlapHours,
          issued: rotated.credentials.map((c) => ({ kind: c.kind, prefix: c.prefix })),
          retiring: rotated.retiring.map((c) => ({ prefix: c.prefix, until: c.expiresAt })),
        });
        return rotated;
      }),
    ),

  /** Revokes one key or token at once (the next request with it fails). */
  revokeCredential: guarded("clients.manage")
    .input(z.object({ prefix: z.string().min(1).max(40) }))
    .mutation(({ ctx, input }) =>
      ctx.sql.begin(async (tx) => {
        const revoked = await revokeCredential(tx, input.prefix);
        await audit(tx, ctx.user, "client.key_revoked", revoked.clientName, { prefix: revoked.prefix });
        return revoked;
      }),
    ),

  /** Disables the client and revokes every credential it holds. */
  revoke: guarded("clients.manage")
    .input(z.object({ name }))
    .mutation(({ ctx, input }) =>
      ctx.sql.begin(async (tx) => {
        const revoked = await revokeClient(tx, input.name);
        await audit(tx, ctx.user, "client.revoked", input.name, { revokedPrefixes: revoked.revokedPrefixes });
        return revoked;
      }),
    ),

  /** A new Standard Webhooks signing secret (shown once), or none. */
  setSigningSecret: guarded("clients.manage")
    .input(z.object({ name, action: z.enum(["generate", "remove"]) }))
    .mutation(({ ctx, input }) =>
      ctx.sql.begin(async (tx) => {
        const result = input.action === "generate" ? await setSigningSecret(tx, input.name) : await setSigningSecret(tx, input.name, null);
        await audit(tx, ctx.user, input.action === "generate" ? "client.signing_secret_issued" : "client.signing_secret_removed", input.name);
        return result;
      }),
    ),
});
