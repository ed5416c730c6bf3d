/**
 * The designer's and the flows list's procedures. Thin: every operation is a server/flows function
 * the CLI uses too; this file adds permissions and the acting user (publish and rollback own their
 * checks, transaction and audit row: server/flows/publish-flow.ts, rollback-flow.ts).
 * Read: flows.read. Draft edits and new flows: flows.edit. Publish, rollback, (de)activate: flows.publish.
 */
import { z } from "zod";
import { EXAMPLE_SLUGS, loadExampleFlow } from "@/flows/examples";
import { flowDirectionSchema, flowFileSchema, serializeFlow, slugSchema } from "@/flows/format";
import { userActor } from "@/server/audit/actor";
import { recordAudit } from "@/server/audit/audit-log";
import { AppError } from "@/server/errors/app-error";
import { env } from "@/server/env";
import { blankFlow, createFlow, duplicateFlow, renameFlow } from "@/server/flows/create-flow";
import { getDraft, saveDraftChecked } from "@/server/flows/draft";
import { endpointInfo } from "@/server/flows/endpoint-info";
import { flowActivity } from "@/server/flows/flow-activity";
import { knownNames } from "@/server/flows/known-names";
import { publishFlow } from "@/server/flows/publish-flow";
import { exportFlow, listFlows, saveDraft, setFlowActive } from "@/server/flows/repository";
import { rollbackFlow } from "@/server/flows/rollback-flow";
import { listVersions } from "@/server/flows/versions";
import { masterSnapshots } from "@/server/records/master-snapshots";
import { guarded, router } from "../init";

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
    .mutation(({ ctx, input }) => publishFlow(ctx.sql, input, userActor(ctx.user))),

  /** Rollback: an older version runs again and becomes the draft (server/flows/rollback-flow.ts). */
  rollback: guarded("flows.publish")
    .input(z.object({ slug: slugSchema, version: z.int().min(1), note: z.string().trim().max(500).optional() }))
    .mutation(({ ctx, input }) => rollbackFlow(ctx.sql, input, userActor(ctx.user))),

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
