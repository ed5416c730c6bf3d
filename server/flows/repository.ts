/**
 * Flows in PostgreSQL: one draft per flow, immutable numbered published versions.
 * The CLI, tRPC and the seeder all go through these functions; publishing and rollback, which change
 * what runs, are operations of their own (./publish-flow.ts, ./rollback-flow.ts).
 */
import { createHash } from "node:crypto";
import { parseFlow, serializeFlow, type FlowFile } from "@/flows/format";
import { validateGraph, type GraphError } from "@/flows/validate-graph";
import { entityCatalog } from "@/flows/erp/entities";
import { FlowError } from "@/server/engine/errors";
import type { Queryable } from "@/server/db/queryable";

export interface FlowSummary {
  id: string;
  slug: string;
  name: string;
  direction: "incoming" | "outgoing";
  description: string;
  active: boolean;
  publishedVersion: number | null;
  draftRevision: number;
  /** The draft differs from the published version (or nothing is published yet). */
  hasDraftChanges: boolean;
  updatedAt: Date;
}

export interface PublishedFlow {
  flowId: string;
  versionId: string;
  version: number;
  slug: string;
  active: boolean;
  definition: FlowFile;
}

export const checksumOf = (flow: FlowFile) => createHash("sha256").update(serializeFlow(flow)).digest("hex");

interface FlowRow {
  id: string;
  slug: string;
  name: string;
  direction: "incoming" | "outgoing";
  description: string;
  active: boolean;
  published_version: number | null;
  draft_revision: number;
  draft: FlowFile;
  updated_at: Date;
  published_checksum: string | null;
}

const toSummary = (r: FlowRow): FlowSummary => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  direction: r.direction,
  description: r.description,
  active: r.active,
  publishedVersion: r.published_version,
  draftRevision: r.draft_revision,
  hasDraftChanges: r.published_checksum === null || r.published_checksum !== checksumOf(r.draft),
  updatedAt: r.updated_at,
});

/**
 * Flows are stored as `json` text, not jsonb, so a file's key order survives the
 * round trip (export then import gives an identical file). Sent as text: a jsonb
 * parameter would be normalised (keys re-ordered) before the cast to json.
 */
export const asJsonText = (flow: FlowFile) => JSON.stringify(flow);

function notFound(slug: string) {
  return new FlowError("NOT_FOUND", { message: `No flow with slug "${slug}"`, details: { slug } });
}

/** Saves a flow file as the draft of the flow with its slug (creating the flow if new). */
export async function saveDraft(sql: Queryable, input: FlowFile | unknown): Promise<{ slug: string; created: boolean; draftRevision: number }> {
  const flow = parseFlow(input);
  const [row] = await sql<{ created: boolean; draft_revision: number }[]>`
    insert into flows (slug, name, direction, description, draft)
    values (${flow.slug}, ${flow.name}, ${flow.direction}, ${flow.description}, ${asJsonText(flow)}::text::json)
    on conflict (slug) do update set
      name = excluded.name, direction = excluded.direction, description = excluded.description,
      draft = excluded.draft, draft_revision = flows.draft_revision + 1, updated_at = now()
    returning (xmax = 0) as created, draft_revision`;
  return { slug: flow.slug, created: row!.created, draftRevision: row!.draft_revision };
}

export async function listFlows(sql: Queryable): Promise<FlowSummary[]> {
  const rows = await sql<FlowRow[]>`
    select f.*, v.checksum as published_checksum from flows f
    left join flow_versions v on v.flow_id = f.id and v.version = f.published_version
    order by f.direction, f.slug`;
  return rows.map(toSummary);
}

/** The draft, or a published version, as a flow file. */
export async function exportFlow(sql: Queryable, slug: string, options: { version?: number } = {}): Promise<FlowFile> {
  if (options.version !== undefined) {
    const [row] = await sql<{ definition: FlowFile }[]>`
      select v.definition from flow_versions v join flows f on f.id = v.flow_id
      where f.slug = ${slug} and v.version = ${options.version}`;
    if (!row) throw new FlowError("NOT_FOUND", { message: `Flow "${slug}" has no version ${options.version}` });
    return parseFlow(row.definition);
  }
  const [row] = await sql<{ draft: FlowFile }[]>`select draft from flows where slug = ${slug}`;
  if (!row) throw notFound(slug);
  return parseFlow(row.draft);
}

export class FlowInvalidError extends FlowError {
  constructor(
    slug: string,
    public readonly graphErrors: GraphError[],
  ) {
    super("VALIDATION_FAILED", {
      message: `Flow "${slug}" has ${graphErrors.length} problem(s): ${graphErrors.map((e) => `${e.nodeId ?? "flow"}: ${e.message}`).join("; ")}`,
      details: { graphErrors },
    });
  }
}

/** Graph errors of a flow against the ERP catalogue (connections and credentials when known). */
export function checkFlow(flow: FlowFile, known: { connections?: string[]; credentials?: string[] } = {}): GraphError[] {
  return validateGraph(flow, { ...entityCatalog(), ...known });
}

export async function setFlowActive(sql: Queryable, slug: string, active: boolean) {
  const [row] = await sql`update flows set active = ${active}, updated_at = now() where slug = ${slug} returning id`;
  if (!row) throw notFound(slug);
}

/** The version endpoints and jobs run, or undefined when unpublished. */
export async function getPublishedFlow(sql: Queryable, slug: string): Promise<PublishedFlow | undefined> {
  const [row] = await sql<{ flow_id: string; version_id: string; version: number; slug: string; active: boolean; definition: FlowFile }[]>`
    select f.id as flow_id, v.id as version_id, v.version, f.slug, f.active, v.definition
    from flows f join flow_versions v on v.flow_id = f.id and v.version = f.published_version
    where f.slug = ${slug}`;
  if (!row) return undefined;
  return { flowId: row.flow_id, versionId: row.version_id, version: row.version, slug: row.slug, active: row.active, definition: row.definition };
}

export { serializeFlow };
