/**
 * New flows from the designer: blank, from a shipped example, a copy of another flow, or an
 * imported flow file. Unlike saveDraft (the CLI's import, which upserts), creating never touches an
 * existing flow: a taken slug is refused so nobody's draft is replaced by accident.
 */
import { parseFlow, slugSchema, type FlowDirection, type FlowFile } from "@/flows/format";
import { getNodeDefinition } from "@/flows/nodes/registry";
import { FlowError } from "@/server/engine/errors";
import { AppError } from "@/server/errors/app-error";
import type { Queryable } from "@/server/db/queryable";
import { exportFlow } from "./repository";

/** SLUG_TAKEN in the error table (flows/app-errors.ts). */
export class SlugTakenError extends AppError {
  constructor(public readonly slug: string) {
    super("SLUG_TAKEN", { params: { slug } });
    this.name = "SlugTakenError";
  }
}

export function blankFlow(input: { slug: string; name: string; direction: FlowDirection; description?: string }): FlowFile {
  return parseFlow({ formatVersion: 1, slug: input.slug, name: input.name, direction: input.direction, description: input.description ?? "", nodes: [], edges: [] });
}

/** The flow under another slug and name; an HTTP trigger follows the slug (it names the endpoint). */
export function renameFlow(flow: FlowFile, slug: string, name: string): FlowFile {
  const checked = slugSchema.safeParse(slug);
  if (!checked.success) throw new FlowError("VALIDATION_FAILED", { message: `Slug "${slug}": ${checked.error.issues[0]?.message ?? "invalid"}` });
  return {
    ...flow,
    slug,
    name,
    nodes: flow.nodes.map((n) => {
      const endpoint = getNodeDefinition(n.type)?.endpoint;
      if (!endpoint) return n;
      // The config as written (not parsed): defaults stay out of the file.
      return endpoint.slug(n.config) === flow.slug ? { ...n, config: endpoint.withSlug(n.config, slug) as Record<string, unknown> } : n;
    }),
  };
}

export async function createFlow(sql: Queryable, input: FlowFile | unknown, by: string | null = null): Promise<{ slug: string; draftRevision: number }> {
  const flow = parseFlow(input);
  const [row] = await sql<{ draft_revision: number }[]>`
    insert into flows (slug, name, direction, description, draft, draft_updated_by)
    values (${flow.slug}, ${flow.name}, ${flow.direction}, ${flow.description}, ${JSON.stringify(flow)}::text::json, ${by})
    on conflict (slug) do nothing
    returning draft_revision`;
  if (!row) throw new SlugTakenError(flow.slug);
  return { slug: flow.slug, draftRevision: row.draft_revision };
}

export async function duplicateFlow(sql: Queryable, from: string, to: { slug: string; name: string }, by: string | null = null) {
  const source = await exportFlow(sql, from);
  return createFlow(sql, renameFlow(source, to.slug, to.name), by);
}
