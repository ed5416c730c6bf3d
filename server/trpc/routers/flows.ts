/**
 * The designer's and the flows list's procedures. Thin: every action is a domain operation in
 * server/flows/ that the CLI uses too (publish-flow.ts, rollback-flow.ts, flow-actions.ts: each owns
 * its checks, transaction and audit row); this file adds permissions and the acting user.
 * Read: flows.read. Draft edits and new flows: flows.edit. Publish, rollback, (de)activate: flows.publish.
 */
import { z } from "zod";
import { EXAMPLE_SLUGS } from "@/flows/examples";
import { flowDirectionSchema, flowFileSchema, slugSchema } from "@/flows/format";
import { userActor } from "@/server/audit/actor";
import { env } from "@/server/env";
import { getDraft } from "@/server/flows/draft";
import {
  createNewFlow,
  duplicateFlowAs,
  flowEndpoint,
  flowFileText,
  flowsOverview,
  importFlowFile,
  saveFlowDraft,
  setFlowActivation,
} from "@/server/flows/flow-actions";
import { knownNames } from "@/server/flows/known-names";
import { publishFlow } from "@/server/flows/publish-flow";
import { rollbackFlow } from "@/server/flows/rollback-flow";
import { listVersions } from "@/server/flows/versions";
import { masterSnapshots } from "@/server/records/master-snapshots";
import { guarded, router } from "../init";

const slugInput = z.object({ slug: slugSchema });

export const flowsRouter = router({
  list: guarded("flows.read").query(({ ctx }) => flowsOverview(ctx.sql)),

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
    .mutation(({ ctx, input }) => saveFlowDraft(ctx.sql, input, userActor(ctx.user))),

  create: guarded("flows.edit")
    .input(
      z.discriminatedUnion("kind", [
        z.object({ kind: z.literal("blank"), direction: flowDirectionSchema, name: z.string().trim().min(1).max(120), slug: slugSchema }),
        z.object({ kind: z.literal("example"), example: z.enum(EXAMPLE_SLUGS as [string, ...string[]]), name: z.string().trim().min(1).max(120), slug: slugSchema }),
      ]),
    )
    .mutation(({ ctx, input }) => createNewFlow(ctx.sql, input, userActor(ctx.user))),

  duplicate: guarded("flows.edit")
    .input(z.object({ from: slugSchema, slug: slugSchema, name: z.string().trim().min(1).max(120) }))
    .mutation(({ ctx, input }) => duplicateFlowAs(ctx.sql, input, userActor(ctx.user))),

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
    .mutation(({ ctx, input }) => importFlowFile(ctx.sql, input, userActor(ctx.user))),

  /** The draft or a published version as its canonical file text (export, and the diff view). */
  file: guarded("flows.read")
    .input(z.object({ slug: slugSchema, version: z.int().min(1).optional() }))
    .query(({ ctx, input }) => flowFileText(ctx.sql, input)),

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
    .mutation(({ ctx, input }) => setFlowActivation(ctx.sql, input, userActor(ctx.user))),

  /** Incoming flows: URL, curl, allowed clients, OpenAPI link. */
  endpoint: guarded("flows.read")
    .input(slugInput)
    .query(({ ctx, input }) => flowEndpoint(ctx.sql, { slug: input.slug, publicUrl: env().publicUrl })),
});
