/**
 * The designer's and the flows list's procedures. Thin: every operation is a server/flows function
 * the CLI uses too; this file adds permissions, the acting user and the audit trail.
 * Read: flows.read. Draft edits and new flows: flows.edit. Publish, rollback, (de)activate: flows.publish.
 */
import { z } from "zod";
import { EXAMPLE_SLUGS, loadExampleFlow } from "@/flows/examples";
import { flowDirectionSchema, flowFileSchema, serializeFlow, slugSchema } from "@/flows/format";
import { recordAudit } from "@/server/audit/audit-log";
import { AppError } from "@/server/errors/app-error";
import { env } from "@/server/env";
import { blankFlow, createFlow, duplicateFlow, renameFlow } from "@/server/flows/create-flow";
import { DraftConflictError, getDraft, saveDraftChecked } from "@/server/flows/draft";
import { endpointInfo } from "@/server/flows/endpoint-info";
import { flowActivity } from "@/server/flows/flow-activity";
import { activateVersion, exportFlow, FlowInvalidError, listFlows, publishFlow, saveDraft, setFlowActive } from "@/server/flows/repository";
import { listVersions } from "@/server/flows/versions";
import { listConnections } from "@/server/outgoing/connections";
import { listCredentials } from "@/server/outgoing/credentials";
import { masterSnapshots } from "@/server/records/master-snapshots";
import type { Queryable } from "@/server/db/queryable";
import { guarded, router } from "../init";

/** Names the catalogue knows, for graph validation and pickers; secrets never leave the server. */
async function knownNames(sql: Queryable) {
  const [connections, credentials] = await Promise.all([listConnections(sql), listCredentials(sql)]);
  return { connections: connections.map((c) => c.name), credentials: credentials.map((c) => c.name) };
}

const slugInput = z.object({ slug: slugSchema });
const who = (user: { name: string; email: string }) => user.name || user.email;

export const flowsRouter = router({
  list: guarded("flows.read").query(async ({ ctx }) => {
    const [flows, activity] = await Promise.all([listFlows(ctx.sql), flowActivity(ctx.sql)]);
    return flows.map((f) => {
      const a = activity.get(f.slug);
      return {
        slug: f.slug,
        name: f.name,
        direction: f.direction,
        description: f.description,
        active: f.active,
        publishedVersion: f.publishedVersion,
        hasDraftChanges: f.hasDraftChanges,
        updatedAt: f.updatedAt,
        lastRunAt: a?.lastRunAt ?? null,
        lastStatus: a?.lastStatus ?? null,
        todaySuccess: a?.todaySuccess ?? 0,
        todayErrors: a?.todayErrors ?? 0,
      };
    });
  }),

  /** The draft the designer opens, with its revision. */
  get: guarded("flows.read")
    .input(slugInput)
    .query(({ ctx, input }) => getDraft(ctx.sql, input.slug)),

  /** Connection and credential names for pickers and graph validation. */
  catalog: guarded("flows.read").query(({ ctx }) => knownNames(ctx.sql)),

  /** The masters `$lookup` reads in the designer's live preview (server/records/master-snapshots.ts). */
  previewMasters: guarded("flows.read").query(({ ctx }) => masterSnapshots(ctx.sql)),

  /** Autosave: refused with CONFLICT when someone saved since `expectedRevision` (unless `overwrite`). */
  save: guarded("flows.edit")
    .input(z.object({ flow: flowFileSchema, expectedRevision: z.int().min(1), overwrite: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) => {
      const expectedRevision = input.overwrite ? (await getDraft(ctx.sql, input.flow.slug)).draftRevision : input.expectedRevision;
      const saved = await saveDraftChecked(ctx.sql, input.flow, { expectedRevision, by: who(ctx.user) });
      if (input.overwrite) {
        await recordAudit(ctx.sql, { actorId: ctx.user.id, actorEmail: ctx.user.email, action: "flow.draft_overwritten", target: input.flow.slug, details: { overwrittenRevision: expectedRevision } });
      }
      return saved;
    }),

  create: guarded("flows.edit")
    .input(
      z.discriminatedUnion("kind", [
        z.object({ kind: z.literal("blank"), direction: flowDirectionSchema, name: z.string().trim().min(1).max(120), slug: slugSchema }),
        z.object({ kind: z.literal("example"), example: z.enum(EXAMPLE_SLUGS as [string, ...string[]]), name: z.string().trim().min(1).max(120), slug: slugSchema }),
      ]),
    )
    .mutation(async ({ ctx, input }) => {
      const flow = input.kind === "blank" ? blankFlow(input) : renameFlow(loadExampleFlow(input.example), input.slug, input.name);
      const created = await createFlow(ctx.sql, flow, who(ctx.user));
      await recordAudit(ctx.sql, { actorId: ctx.user.id, actorEmail: ctx.user.email, action: "flow.created", target: input.slug, details: input.kind === "example" ? { example: input.example } : {} });
      return created;
    }),

  duplicate: guarded("flows.edit")
    .input(z.object({ from: slugSchema, slug: slugSchema, name: z.string().trim().min(1).max(120) }))
    .mutation(async ({ ctx, input }) => {
      const created = await duplicateFlow(ctx.sql, input.from, input, who(ctx.user));
      await recordAudit(ctx.sql, { actorId: ctx.user.id, actorEmail: ctx.user.email, action: "flow.duplicated", target: input.slug, details: { from: input.from } });
      return created;
    }),

  /**
   * A flow file becomes a new flow (under its own slug and name, or those given in `as`: a file
   * exported from this install imports back beside its original), or (replaceDraft) the draft of
   * the flow with its slug.
   */
  import: guarded("flows.edit")
    .input(
      z.object({
        flow: flowFileSchema,
        replaceDraft: z.boolean().default(false),
        as: z.object({ slug: slugSchema, name: z.string().trim().min(1).max(120) }).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const flow = input.as && !input.replaceDraft ? renameFlow(input.flow, input.as.slug, input.as.name) : input.flow;
      const result = input.replaceDraft ? await saveDraft(ctx.sql, flow) : await createFlow(ctx.sql, flow, who(ctx.user));
      await recordAudit(ctx.sql, { actorId: ctx.user.id, actorEmail: ctx.user.email, action: "flow.imported", target: flow.slug, details: { replaceDraft: input.replaceDraft } });
      return { slug: result.slug, draftRevision: result.draftRevision };
    }),

  /** The draft or a published version as its canonical file text (export, and the diff view). */
  file: guarded("flows.read")
    .input(z.object({ slug: slugSchema, version: z.int().min(1).optional() }))
    .query(async ({ ctx, input }) => {
      const flow = await exportFlow(ctx.sql, input.slug, { version: input.version });
      return { fileName: `${flow.slug}${input.version ? `.v${input.version}` : ""}.flow.json`, text: serializeFlow(flow) };
    }),

  versions: guarded("flows.read")
    .input(slugInput)
    .query(({ ctx, input }) => listVersions(ctx.sql, input.slug)),

  /** Publishes the saved draft; `expectedRevision` makes sure it is the draft the publisher is looking at. */
  publish: guarded("flows.publish")
    .input(z.object({ slug: slugSchema, note: z.string().trim().max(500).default(""), expectedRevision: z.int().min(1).optional() }))
    .mutation(async ({ ctx, input }) => {
      if (input.expectedRevision !== undefined) {
        const draft = await getDraft(ctx.sql, input.slug);
        if (draft.draftRevision !== input.expectedRevision) {
          throw new DraftConflictError(input.slug, draft.draftRevision, draft.draftUpdatedBy, draft.updatedAt);
        }
      }
      try {
        const result = await publishFlow(ctx.sql, input.slug, { by: who(ctx.user), note: input.note, known: await knownNames(ctx.sql) });
        if (!result.unchanged) {
          await recordAudit(ctx.sql, { actorId: ctx.user.id, actorEmail: ctx.user.email, action: "flow.published", target: input.slug, details: { version: result.version, note: input.note } });
        }
        return result;
      } catch (error) {
        if (error instanceof FlowInvalidError) {
          throw new AppError("VALIDATION_FAILED", { message: `Fix the flow first: ${error.graphErrors.map((e) => `${e.nodeId ?? "flow"}: ${e.message}`).join("; ")}` });
        }
        throw error;
      }
    }),

  /** Rollback: an older version becomes the one that runs. */
  rollback: guarded("flows.publish")
    .input(z.object({ slug: slugSchema, version: z.int().min(1) }))
    .mutation(async ({ ctx, input }) => {
      await activateVersion(ctx.sql, input.slug, input.version);
      await recordAudit(ctx.sql, { actorId: ctx.user.id, actorEmail: ctx.user.email, action: "flow.rolled_back", target: input.slug, details: { version: input.version } });
      return { slug: input.slug, version: input.version };
    }),

  setActive: guarded("flows.publish")
    .input(z.object({ slug: slugSchema, active: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      await setFlowActive(ctx.sql, input.slug, input.active);
      await recordAudit(ctx.sql, { actorId: ctx.user.id, actorEmail: ctx.user.email, action: input.active ? "flow.activated" : "flow.deactivated", target: input.slug });
      return input;
    }),

  /** Incoming flows: URL, curl, allowed clients, OpenAPI link. */
  endpoint: guarded("flows.read")
    .input(slugInput)
    .query(async ({ ctx, input }) => {
      const draft = await getDraft(ctx.sql, input.slug);
      if (draft.flow.direction !== "incoming") throw new AppError("INVALID_REQUEST", { message: `"${input.slug}" is an outgoing flow: it has no endpoint` });
      return endpointInfo(ctx.sql, draft.flow, env().publicUrl);
    }),
});
