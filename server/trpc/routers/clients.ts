/**
 * API clients ("credentials issued by the ERP"): who may call our incoming flows. Thin: each write
 * is a domain operation in server/incoming/client-actions.ts (its transaction, checks and audit row,
 * prefixes only); this file adds permissions and the acting user. A key, token or signing secret
 * appears in exactly one answer — the one that created it.
 */
import { z } from "zod";
import { userActor } from "@/server/audit/actor";
import {
  changeClientSigningSecret,
  createApiClient,
  issueClientCredential,
  listClientScopeOptions,
  revokeApiClient,
  revokeClientCredential,
  rotateClientCredentials,
  updateApiClient,
} from "@/server/incoming/client-actions";
import { getClient, listClients } from "@/server/incoming/clients";
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
  scopeOptions: guarded("clients.read").query(({ ctx }) => listClientScopeOptions(ctx.sql)),

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
    .mutation(({ ctx, input }) => createApiClient(ctx.sql, input, userActor(ctx.user))),

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
    .mutation(({ ctx, input }) => updateApiClient(ctx.sql, input, userActor(ctx.user))),

  /** One more key or token; the ones the client holds stay valid. The plaintext is in this answer only. */
  issue: guarded("clients.manage")
    .input(z.object({ name, kind, expiresInDays }))
    .mutation(({ ctx, input }) => issueClientCredential(ctx.sql, input, userActor(ctx.user))),

  /** New credentials now; the current ones keep working for `overlapHours`, then expire. */
  rotate: guarded("clients.manage")
    .input(z.object({ name, overlapHours: z.number().min(0).max(24 * 90).default(24), kind: choice.optional(), expiresInDays }))
    .mutation(({ ctx, input }) => rotateClientCredentials(ctx.sql, input, userActor(ctx.user))),

  /** Revokes one key or token at once (the next request with it fails). */
  revokeCredential: guarded("clients.manage")
    .input(z.object({ prefix: z.string().min(1).max(40) }))
    .mutation(({ ctx, input }) => revokeClientCredential(ctx.sql, input, userActor(ctx.user))),

  /** Disables the client and revokes every credential it holds. */
  revoke: guarded("clients.manage")
    .input(z.object({ name }))
    .mutation(({ ctx, input }) => revokeApiClient(ctx.sql, input, userActor(ctx.user))),

  /** A new Standard Webhooks signing secret (shown once), or none. */
  setSigningSecret: guarded("clients.manage")
    .input(z.object({ name, action: z.enum(["generate", "remove"]) }))
    .mutation(({ ctx, input }) => changeClientSigningSecret(ctx.sql, input, userActor(ctx.user))),
});
