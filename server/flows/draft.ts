/**
 * The designer's save: the draft is written only if nobody saved it since the editor loaded it
 * (optimistic concurrency on draft_revision). A stale save is refused with who saved last, so a
 * second editor is warned instead of silently overwriting the first one's work.
 */
import { parseFlow, type FlowFile } from "@/flows/format";
import { FlowError } from "@/server/engine/errors";
import { AppError } from "@/server/errors/app-error";
import type { Queryable } from "@/server/db/queryable";
import { checksumOf } from "./repository";

/** DRAFT_CONFLICT in the error table (flows/app-errors.ts), saying who saved and when. */
export class DraftConflictError extends AppError {
  constructor(
    public readonly slug: string,
    public readonly currentRevision: number,
    public readonly updatedBy: string | null,
    public readonly updatedAt: Date,
  ) {
    super("DRAFT_CONFLICT", {
      message: `The draft of "${slug}" was saved by ${updatedBy ?? "someone else"} after you opened it (now revision ${currentRevision}). Reload to see their changes, or overwrite them.`,
    });
    this.name = "DraftConflictError";
  }
}

export interface SavedDraft {
  slug: string;
  draftRevision: number;
  updatedAt: Date;
}

export async function saveDraftChecked(
  sql: Queryable,
  input: FlowFile | unknown,
  options: { expectedRevision: number; by: string | null },
): Promise<SavedDraft> {
  const flow = parseFlow(input);
  const [row] = await sql<{ draft_revision: number; updated_at: Date }[]>`
    update flows set
      name = ${flow.name}, description = ${flow.description}, draft = ${JSON.stringify(flow)}::text::json,
      draft_revision = draft_revision + 1, draft_updated_by = ${options.by}, updated_at = now()
    where slug = ${flow.slug} and draft_revision = ${options.expectedRevision} and direction = ${flow.direction}
    returning draft_revision, updated_at`;
  if (row) return { slug: flow.slug, draftRevision: row.draft_revision, updatedAt: row.updated_at };
  const [current] = await sql<{ draft_revision: number; draft_updated_by: string | null; updated_at: Date; direction: string }[]>`
    select draft_revision, draft_updated_by, updated_at, direction from flows where slug = ${flow.slug}`;
  if (!current) throw new FlowError("NOT_FOUND", { message: `No flow with slug "${flow.slug}"` });
  if (current.direction !== flow.direction) {
    throw new FlowError("VALIDATION_FAILED", { message: `"${flow.slug}" is an ${current.direction} flow; its direction cannot change` });
  }
  throw new DraftConflictError(flow.slug, current.draft_revision, current.draft_updated_by, current.updated_at);
}

export interface DraftState {
  flow: FlowFile;
  draftRevision: number;
  draftUpdatedBy: string | null;
  updatedAt: Date;
  active: boolean;
  publishedVersion: number | null;
  /** The highest version number published so far (0 when none): the next publish makes +1. */
  latestVersion: number;
  /** The draft differs from the version that runs (or nothing runs yet). */
  hasDraftChanges: boolean;
}

/** The draft the designer opens, with the revision its saves must name. */
export async function getDraft(sql: Queryable, slug: string): Promise<DraftState> {
  const [row] = await sql<{ draft: FlowFile; draft_revision: number; draft_updated_by: string | null; updated_at: Date; active: boolean; published_version: number | null; checksum: string | null; latest_version: number }[]>`
    select f.draft, f.draft_revision, f.draft_updated_by, f.updated_at, f.active, f.published_version, v.checksum,
           coalesce((select max(version) from flow_versions where flow_id = f.id), 0)::int as latest_version
    from flows f left join flow_versions v on v.flow_id = f.id and v.version = f.published_version
    where f.slug = ${slug}`;
  if (!row) throw new FlowError("NOT_FOUND", { message: `No flow with slug "${slug}"` });
  const flow = parseFlow(row.draft);
  return {
    flow,
    draftRevision: row.draft_revision,
    draftUpdatedBy: row.draft_updated_by,
    updatedAt: row.updated_at,
    active: row.active,
    publishedVersion: row.published_version,
    latestVersion: row.latest_version,
    hasDraftChanges: row.checksum === null || row.checksum !== checksumOf(flow),
  };
}
