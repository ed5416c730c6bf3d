/**
 * Numbering series (VEND-1001, INV-1002…): one PostgreSQL sequence per entity, so
 * concurrent inserts never share a number. Sequences are not transactional: a
 * rolled-back insert leaves a gap, as in every ERP. Dry runs only preview.
 */
import { ENTITIES, type EntityDefinition } from "@/flows/erp/entities";
import type { Queryable } from "@/server/db/queryable";

/**
 * Creates the sequence of every entity in the catalogue (idempotent). Run after
 * migrations, so adding an entity to flows/erp/entities.ts needs no migration.
 */
export async function ensureSeriesSequences(sql: Queryable): Promise<void> {
  for (const entity of ENTITIES) {
    await sql.unsafe(`create sequence if not exists "${sequenceName(entity)}" start with ${Number(entity.series.start)}`);
  }
}

export function sequenceName(entity: EntityDefinition): string {
  return `record_series_${entity.name.toLowerCase()}`;
}


/**
 * The id the next insert would get, without consuming it. Inside a dry run's
 * transaction, records already previewed (marked origin.dryRun, rolled back
 * later) count too, so a dry-run batch numbers its items one after another.
 */
export async function previewRecordId(sql: Queryable, entity: EntityDefinition): Promise<string> {
  const [row] = await sql<{ n: string }[]>`
    select ((case when is_called then last_value + 1 else last_value end)
      + (select count(*) from records where entity = ${entity.name} and origin->>'dryRun' = 'true'))::text as n
    from ${sql(sequenceName(entity))}`;
  return `${entity.series.prefix}${row!.n}`;
}
