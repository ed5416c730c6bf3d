/**
 * Publishing: the saved draft becomes the next numbered, immutable version, which endpoints and
 * jobs run from then on. The console, the CLI, the status-rules settings and the seed all publish
 * through here, so each gets the same checks and the same audit row, in one transaction under the
 * flow's row lock (./lock-flow.ts): the "nobody saved since you opened it" check, the graph checks
 * against the catalogue, the new version, the live pointer and the audit row commit together or
 * not at all.
 */
import type { Sql, TransactionSql } from "postgres";
import { parseFlow } from "@/flows/format";
import { actorLabel, auditActor, type Actor } from "@/server/audit/actor";
import { recordAudit } from "@/server/audit/audit-log";
import { DraftConflictError } from "./draft";
import { knownNames } from "./known-names";
import { lockFlow, type LockedFlow } from "./lock-flow";
import { asJsonText, checkFlow, checksumOf, FlowInvalidError } from "./repository";

export interface PublishFlowInput {
  slug: string;
  /** The draft revision the publisher is looking at: refused with DRAFT_CONFLICT if someone saved since. */
  expectedRevision?: number;
  note?: string;
}

export interface PublishResult {
  slug: string;
  version: number;
  /** The draft is what already runs: nothing new was published (and nothing audited). */
  unchanged: boolean;
}

export async function publishFlow(sql: Sql, input: PublishFlowInput, actor: Actor): Promise<PublishResult> {
  return sql.begin(async (tx) => {
    const flow = await lockFlow(tx, input.slug);
    if (input.expectedRevision !== undefined && flow.draftRevision !== input.expectedRevision) {
      throw new DraftConflictError(input.slug, flow.draftRevision, flow.draftUpdatedBy, flow.updatedAt);
    }
    const result = await publishLockedDraft(tx, flow, { note: input.note ?? "", actor });
    if (!result.unchanged) {
      await recordAudit(tx, { ...auditActor(actor), action: "flow.published", target: input.slug, details: { version: result.version, note: input.note ?? "" } });
    }
    return result;
  });
}

/**
 * The publishing step itself, for operations that hold the flow's lock already (setFlowStatusRules
 * saves the draft and publishes it in one transaction). A draft equal to the version that runs is
 * not published again — also right after a rollback, whose draft is the rolled-back version — so
 * "Publish" with nothing changed mints no duplicate. A draft with graph errors is refused. People
 * (console, CLI) are checked against the connections and credentials in the database; the system
 * (first-start seed, test fixtures) installs flows before or without their connections.
 */
export async function publishLockedDraft(tx: TransactionSql, flow: LockedFlow, options: { note: string; actor: Actor }): Promise<PublishResult> {
  const definition = parseFlow(flow.draft);
  const errors = checkFlow(definition, options.actor.kind === "system" ? {} : await knownNames(tx));
  if (errors.length > 0) throw new FlowInvalidError(flow.slug, errors);
  const checksum = checksumOf(definition);
  if (flow.publishedVersion !== null && flow.publishedChecksum === checksum) {
    return { slug: flow.slug, version: flow.publishedVersion, unchanged: true };
  }
  const [latest] = await tx<{ version: number }[]>`select coalesce(max(version), 0)::int as version from flow_versions where flow_id = ${flow.id}`;
  const version = latest!.version + 1;
  await tx`
    insert into flow_versions (flow_id, version, definition, checksum, published_by, note)
    values (${flow.id}, ${version}, ${asJsonText(definition)}::text::json, ${checksum}, ${actorLabel(options.actor)}, ${options.note})`;
  await tx`update flows set published_version = ${version}, updated_at = now() where id = ${flow.id}`;
  return { slug: flow.slug, version, unchanged: false };
}
