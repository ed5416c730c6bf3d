/**
 * The row lock every change of what a flow runs takes first (publish, rollback, status rules), so
 * two of them on the same flow run one after the other and each sees what the other committed:
 * a publish cannot slip between a rollback's "make v1 live" and its "reset the draft".
 */
import type { TransactionSql } from "postgres";
import type { FlowFile } from "@/flows/format";
import { FlowError } from "@/server/engine/errors";

export interface LockedFlow {
  id: string;
  slug: string;
  draft: FlowFile;
  draftRevision: number;
  draftUpdatedBy: string | null;
  updatedAt: Date;
  publishedVersion: number | null;
  /** The checksum of the version that runs (null when nothing is published). */
  publishedChecksum: string | null;
}

export async function lockFlow(tx: TransactionSql, slug: string): Promise<LockedFlow> {
  const [row] = await tx<{ id: string; draft: FlowFile; draft_revision: number; draft_updated_by: string | null; updated_at: Date; published_version: number | null }[]>`
    select id, draft, draft_revision, draft_updated_by, updated_at, published_version from flows where slug = ${slug} for update`;
  if (!row) throw new FlowError("NOT_FOUND", { message: `No flow with slug "${slug}"`, details: { slug } });
  const published =
    row.published_version === null
      ? undefined
      : (await tx<{ checksum: string }[]>`select checksum from flow_versions where flow_id = ${row.id} and version = ${row.published_version}`)[0];
  return {
    id: row.id,
    slug,
    draft: row.draft,
    draftRevision: row.draft_revision,
    draftUpdatedBy: row.draft_updated_by,
    updatedAt: row.updated_at,
    publishedVersion: row.published_version,
    publishedChecksum: published?.checksum ?? null,
  };
}
