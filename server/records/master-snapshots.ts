/**
 * The masters (City, State…) for the designer's live preview, which evaluates `$lookup` in the
 * browser: each master's entries as the engine's lookup returns them, up to a cap (a master larger
 * than that is marked truncated, and a miss in it stays "ask the dry run"). In creation order, as
 * findRecordByField takes the first match of a field that is not a key.
 */
import { ENTITIES } from "@/flows/erp/entities";
import { defaultLookupField, type PreviewMasters } from "@/flows/mapper/preview-masters";
import type { Queryable } from "@/server/db/queryable";

export const MASTER_SNAPSHOT_LIMIT = 2000;

export async function masterSnapshots(sql: Queryable, limit = MASTER_SNAPSHOT_LIMIT): Promise<PreviewMasters> {
  const masters = ENTITIES.filter((e) => e.kind === "master");
  const loaded = await Promise.all(
    masters.map(
      (m) => sql<{ data: Record<string, unknown>; record_id: string; status: string }[]>`
        select data, record_id, status from records where entity = ${m.name} order by created_at, id limit ${limit + 1}`,
    ),
  );
  return Object.fromEntries(
    masters.map((m, i) => {
      const rows = loaded[i]!;
      return [
        m.name,
        {
          key: defaultLookupField(m.name)!,
          rows: rows.slice(0, limit).map((r) => ({ ...r.data, recordId: r.record_id, status: r.status })),
          truncated: rows.length > limit,
        },
      ];
    }),
  );
}
