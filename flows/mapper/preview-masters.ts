/**
 * The ERP's masters (City, State…) as the live preview sees them: a snapshot read once from the
 * server, so `$lookup("City", city).State` shows the real answer while typing instead of nothing.
 * Matching follows the engine's lookup (server/records/engine-services.ts): the master's first key
 * field unless a field is named, values compared trimmed and without case.
 */
import { findEntity, normaliseKeyPart } from "@/flows/erp/entities";

export interface MasterSnapshot {
  /** The field `$lookup(master, key)` matches when no field is named. */
  key: string;
  /** Each entry as the engine's lookup returns it: its data, recordId and status. */
  rows: Record<string, unknown>[];
  /** More entries exist than the snapshot holds: a miss is not proof of absence. */
  truncated: boolean;
}

export type PreviewMasters = Record<string, MasterSnapshot>;

/** The field a lookup in `entityName` matches by default: its first single-field key, else its title field. */
export function defaultLookupField(entityName: string): string | undefined {
  const entity = findEntity(entityName);
  return entity ? (entity.uniqueKeys[0]?.[0] ?? entity.titleField) : undefined;
}

/**
 * The entry of `source` whose key (or `field`) equals `key`: `{ loaded: false }` when the snapshot
 * does not hold that master (an entity's records are not previewed), else the entry or undefined.
 */
export function lookupInSnapshot(masters: PreviewMasters | undefined, source: string, key: unknown, field?: string): { loaded: boolean; entry?: Record<string, unknown> } {
  const name = findEntity(source)?.name;
  const master = name ? masters?.[name] : undefined;
  if (!master) return { loaded: false };
  if (key === undefined || key === null || typeof key === "object") return { loaded: true };
  const wanted = normaliseKeyPart(key);
  const by = field ?? master.key;
  const entry = master.rows.find((row) => row[by] !== undefined && row[by] !== null && normaliseKeyPart(row[by]) === wanted);
  return { loaded: !(master.truncated && !entry), entry };
}
