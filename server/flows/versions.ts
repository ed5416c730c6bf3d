/** A flow's published versions for the designer's versions list: who, when, why, which one runs. */
import { FlowError } from "@/server/engine/errors";
import type { Queryable } from "@/server/db/queryable";

export interface FlowVersionSummary {
  version: number;
  publishedAt: Date;
  publishedBy: string | null;
  note: string;
  /** The version endpoints and jobs run now. */
  current: boolean;
}

export async function listVersions(sql: Queryable, slug: string): Promise<FlowVersionSummary[]> {
  const rows = await sql<{ version: number; published_at: Date; published_by: string | null; note: string; current: boolean; flow: string | null }[]>`
    select v.version, v.published_at, v.published_by, v.note, (v.version = f.published_version) as current, f.slug as flow
    from flows f left join flow_versions v on v.flow_id = f.id
    where f.slug = ${slug}
    order by v.version desc`;
  if (rows.length === 0) throw new FlowError("NOT_FOUND", { message: `No flow with slug "${slug}"` });
  return rows
    .filter((r) => r.version !== null)
    .map((r) => ({ version: r.version, publishedAt: r.published_at, publishedBy: r.published_by, note: r.note, current: r.current === true }));
}
