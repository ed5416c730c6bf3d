/**
 * The flow actions besides publish and rollback (./publish-flow.ts, ./rollback-flow.ts): create,
 * duplicate, import, save a draft over someone else's, activate or deactivate. Each is one domain
 * operation that the console and the CLI call: the change and its audit row commit together, as
 * the actor ("saved by" names them too). Also the reads the flows list and the Endpoint panel show.
 */
import type { Sql } from "postgres";
import { loadExampleFlow } from "@/flows/examples";
import { serializeFlow, type FlowDirection, type FlowFile } from "@/flows/format";
import { actorLabel, auditAs, type Actor } from "@/server/audit/actor";
import type { Queryable } from "@/server/db/queryable";
import { AppError } from "@/server/errors/app-error";
import { blankFlow, createFlow, duplicateFlow, renameFlow } from "./create-flow";
import { getDraft, saveDraftChecked, type SavedDraft } from "./draft";
import { endpointInfo } from "./endpoint-info";
import { flowActivity } from "./flow-activity";
import { publishFlow } from "./publish-flow";
import { exportFlow, listFlows, saveDraft, setFlowActive } from "./repository";

/** Autosave, refused with DRAFT_CONFLICT when someone saved since `expectedRevision`; `overwrite` saves over them (audited). */
export async function saveFlowDraft(sql: Sql, input: { flow: FlowFile; expectedRevision: number; overwrite?: boolean }, actor: Actor): Promise<SavedDraft> {
  return sql.begin(async (tx) => {
    const expectedRevision = input.overwrite ? (await getDraft(tx, input.flow.slug)).draftRevision : input.expectedRevision;
    const saved = await saveDraftChecked(tx, input.flow, { expectedRevision, by: actorLabel(actor) });
    if (input.overwrite) await auditAs(tx, actor, "flow.draft_overwritten", input.flow.slug, { overwrittenRevision: expectedRevision });
    return saved;
  });
}

export type NewFlowInput =
  | { kind: "blank"; direction: FlowDirection; name: string; slug: string }
  | { kind: "example"; example: string; name: string; slug: string };

/** A new flow: a blank canvas or a copy of a shipped example. A taken slug is refused (SLUG_TAKEN). */
export async function createNewFlow(sql: Sql, input: NewFlowInput, actor: Actor): Promise<{ slug: string; draftRevision: number }> {
  const flow = input.kind === "blank" ? blankFlow(input) : renameFlow(loadExampleFlow(input.example), input.slug, input.name);
  return sql.begin(async (tx) => {
    const created = await createFlow(tx, flow, actorLabel(actor));
    await auditAs(tx, actor, "flow.created", input.slug, input.kind === "example" ? { example: input.example } : {});
    return created;
  });
}

export async function duplicateFlowAs(sql: Sql, input: { from: string; slug: string; name: string }, actor: Actor) {
  return sql.begin(async (tx) => {
    const created = await duplicateFlow(tx, input.from, input, actorLabel(actor));
    await auditAs(tx, actor, "flow.duplicated", input.slug, { from: input.from });
    return created;
  });
}

/**
 * The console's import: a flow file becomes a new flow (under its own slug and name, or those in
 * `as`), or (replaceDraft) the draft of the flow with its slug.
 */
export async function importFlowFile(
  sql: Sql,
  input: { flow: FlowFile; replaceDraft?: boolean; as?: { slug: string; name: string } },
  actor: Actor,
): Promise<{ slug: string; draftRevision: number }> {
  const replaceDraft = input.replaceDraft ?? false;
  const flow = input.as && !replaceDraft ? renameFlow(input.flow, input.as.slug, input.as.name) : input.flow;
  return sql.begin(async (tx) => {
    const result = replaceDraft ? await saveDraft(tx, flow) : await createFlow(tx, flow, actorLabel(actor));
    await auditAs(tx, actor, "flow.imported", flow.slug, { replaceDraft });
    return { slug: result.slug, draftRevision: result.draftRevision };
  });
}

/**
 * The CLI's import (files in git → drafts): each file becomes its flow's draft, creating flows that
 * are new, audited like the console's import; with `publish`, each is then published (publishFlow's
 * own checks and audit row).
 */
export async function importFlowFiles(sql: Sql, input: { files: FlowFile[]; publish?: boolean }, actor: Actor) {
  const flows = [];
  for (const flow of input.files) {
    const saved = await sql.begin(async (tx) => {
      const result = await saveDraft(tx, flow);
      await auditAs(tx, actor, "flow.imported", flow.slug, { replaceDraft: !result.created, draftRevision: result.draftRevision });
      return result;
    });
    const published = input.publish ? await publishFlow(sql, { slug: flow.slug }, actor) : undefined;
    flows.push({ ...saved, publishedVersion: published?.version });
  }
  return flows;
}

export async function setFlowActivation(sql: Sql, input: { slug: string; active: boolean }, actor: Actor): Promise<{ slug: string; active: boolean }> {
  return sql.begin(async (tx) => {
    await setFlowActive(tx, input.slug, input.active);
    await auditAs(tx, actor, input.active ? "flow.activated" : "flow.deactivated", input.slug);
    return { slug: input.slug, active: input.active };
  });
}

/** The flows list: each flow with its state, last run and today's successes and failures. */
export async function flowsOverview(sql: Queryable) {
  const [flows, activity] = await Promise.all([listFlows(sql), flowActivity(sql)]);
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
}

/** The draft or a published version as its canonical file text (export, and the diff view). */
export async function flowFileText(sql: Queryable, input: { slug: string; version?: number }) {
  const flow = await exportFlow(sql, input.slug, { version: input.version });
  return { fileName: `${flow.slug}${input.version ? `.v${input.version}` : ""}.flow.json`, text: serializeFlow(flow) };
}

/** An incoming flow's URL, curl, allowed clients and OpenAPI link. */
export async function flowEndpoint(sql: Queryable, input: { slug: string; publicUrl: string }) {
  const draft = await getDraft(sql, input.slug);
  if (draft.flow.direction !== "incoming") throw new AppError("INVALID_REQUEST", { message: `"${input.slug}" is an outgoing flow: it has no endpoint` });
  return endpointInfo(sql, draft.flow, input.publicUrl);
}

