/**
 * Connections and credentials ("provided by the external system owner"): where outgoing flows
 * send and with what. Reading connection names and URLs is connections.read; everything about
 * credentials — even their list — and every write is credentials.manage. A credential's secret is
 * write-only: procedures accept it and answer with the masked summary (last 4 characters at most).
 * Thin: each write is a domain operation in server/outgoing/connection-actions.ts.
 */
import { z } from "zod";
import { userActor } from "@/server/audit/actor";
import { listCircuits, listHeldDeliveries } from "@/server/outgoing/circuit";
import { listCredentialNames, removeConnection, removeCredential, saveConnection, saveCredential } from "@/server/outgoing/connection-actions";
import { getConnection, listConnections } from "@/server/outgoing/connections";
import { CREDENTIAL_TYPES, listCredentials } from "@/server/outgoing/credentials";
import { pauseConnection, resumeConnection } from "@/server/outgoing/pause-connection";
import { testConnection } from "@/server/outgoing/test-connection";
import { guarded, router } from "../init";

const name = z.string().min(1).max(64);

export const connectionsRouter = router({
  list: guarded("connections.read").query(({ ctx }) => listConnections(ctx.sql)),

  /** Each connection's circuit: state, since when, deliveries held (server/outgoing/circuit.ts). */
  circuits: guarded("connections.read").query(({ ctx }) => listCircuits(ctx.sql)),

  /** The deliveries a connection's circuit holds now, oldest first. */
  held: guarded("connections.read")
    .input(z.object({ name }))
    .query(({ ctx, input }) => listHeldDeliveries(ctx.sql, input.name)),

  pause: guarded("credentials.manage")
    .input(z.object({ name, reason: z.string().max(500).optional() }))
    .mutation(({ ctx, input }) => pauseConnection(ctx.sql, input, userActor(ctx.user))),

  resume: guarded("credentials.manage")
    .input(z.object({ name }))
    .mutation(({ ctx, input }) => resumeConnection(ctx.sql, input, userActor(ctx.user))),

  get: guarded("connections.read")
    .input(z.object({ name }))
    .query(({ ctx, input }) => getConnection(ctx.sql, input.name)),

  /** Credential names only, for pickers (the credentials themselves need credentials.manage). */
  credentialNames: guarded("connections.read").query(({ ctx }) => listCredentialNames(ctx.sql)),

  save: guarded("credentials.manage")
    .input(
      z.object({
        name,
        baseUrl: z.string().min(1).max(2000),
        method: z.string().max(10).optional(),
        defaultHeaders: z.record(z.string(), z.string()).optional(),
        credentialName: name.nullable().default(null),
        timeoutMs: z.int().optional(),
        /** "5s, 5m, 30m, 2h"; empty or "default": the default schedule. */
        retrySchedule: z.string().max(500).nullable().optional(),
        maxAttempts: z.int().nullable().optional(),
        allowPrivate: z.boolean().default(false),
        followRedirects: z.boolean().default(false),
        owner: z.string().max(200).optional(),
        maxInFlight: z.int().nullable().optional(),
        maxPerSecond: z.int().nullable().optional(),
      }),
    )
    .mutation(({ ctx, input }) => saveConnection(ctx.sql, input, userActor(ctx.user))),

  delete: guarded("credentials.manage")
    .input(z.object({ name }))
    .mutation(({ ctx, input }) => removeConnection(ctx.sql, input, userActor(ctx.user))),

  /** One GET through the connection, as a delivery would send it: reachable, credential refused, or unreachable. */
  test: guarded("credentials.manage")
    .input(z.object({ name, path: z.string().max(2000).optional() }))
    .mutation(({ ctx, input }) => testConnection(ctx.sql, input.name, { path: input.path })),

  credentials: guarded("credentials.manage").query(({ ctx }) => listCredentials(ctx.sql)),

  /**
   * Creates a credential, or edits one. `secret` is required to create one or change its type;
   * omitted on an edit, the stored secret stays (the console never has it to send back).
   */
  saveCredential: guarded("credentials.manage")
    .input(
      z.object({
        name,
        type: z.enum(CREDENTIAL_TYPES),
        secret: z.string().max(10_000).optional(),
        config: z.record(z.string(), z.string()).default({}),
        owner: z.string().max(200).optional(),
      }),
    )
    .mutation(({ ctx, input }) => saveCredential(ctx.sql, input, userActor(ctx.user))),

  deleteCredential: guarded("credentials.manage")
    .input(z.object({ name }))
    .mutation(({ ctx, input }) => removeCredential(ctx.sql, input, userActor(ctx.user))),
});

