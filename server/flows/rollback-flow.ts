/**
 * Rollback: an older published version runs again, and the draft becomes that version's content,
 * so the flows list shows no draft changes and the next Publish without edits has nothing to
 * publish (it answers "unchanged" with the rolled-back version instead of re-shipping the version
 * just rolled back). The draft revision moves on, so an editor still open on the old draft sees the
 * change as someone else's save. One transaction under the flow's row lock (./lock-flow.ts), with
 * its audit row: a publish and a rollback of the same flow run one after the other.
 */
import type { Sql } from "postgres";
import { parseFlow, type FlowFile } from "@/flows/format";
import { actorLabel, auditActor, type Actor } from "@/server/audit/actor";
import { recordAudit } from "@/server/audit/audit-log";
import { FlowError } from "@/server/engine/errors";
import { lockFlow } from "./lock-flow";
import { asJsonText } from "./repository";

export interface RollbackFlowInput {
  slug: string;
  version: number;
  note?: string;
}

export interface RollbackResult {
  slug: string;
  version: number;
  /** The version that ran before (null if none did). */
  previousVersion: number | null;
  /** The draft's revision after it was reset to the rolled-back version. */
  draftRevision: number;
}

export async function rollbackFlow(sql: Sql, input: RollbackFlowInput, actor: Actor): Promise<RollbackResult> {
  return sql.begin(async (tx) => {
    const flow = await lockFlow(tx, input.slug);
    const [target] = await tx<{ definition: FlowFile }[]>`select definition from flow_versions where flow_id = ${flow.id} and version = ${input.version}`;
    if (!target) throw new FlowError("NOT_FOUND", { message: `Flow "${input.slug}" has no version ${input.version}`, details: { slug: input.slug, version: input.version } });
    const definition = parseFlow(target.definition);
    const [row] = await tx<{ draft_revision: number }[]>`
      update flows set
        published_version = ${input.version}, name = ${definition.name}, description = ${definition.description},
        draft = ${asJsonText(definition)}::text::json, draft_revision = draft_revision + 1, draft_updated_by = ${actorLabel(actor)}, updated_at = now()
      where id = ${flow.id}
      returning draft_revision`;
    const note = input.note ?? "";
    await recordAudit(tx, { ...auditActor(actor), action: "flow.rolled_back", target: input.slug, details: { version: input.version, from: flow.publishedVersion, note } });
    return { slug: input.slug, version: input.version, previousVersion: flow.publishedVersion, draftRevision: row!.draft_revision };
  });
}
