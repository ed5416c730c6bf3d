/**
 * What a person (console or CLI) does to ERP records: create one, move it through its workflow,
 * "Send to API". Each is one domain operation: the record store's change (and the event that starts
 * outgoing flows) commits together with its audit row. Also the reads both doors share: a page of
 * an entity's records and one record with its history.
 */
import type { Sql } from "postgres";
import { ENTITIES } from "@/flows/erp/entities";
import { auditAs, type Actor } from "@/server/audit/actor";
import type { Queryable } from "@/server/db/queryable";
import { FlowError } from "@/server/engine/errors";
import { sendRecords, type SendRecordsInput } from "@/server/outgoing/manual-send";
import { countRecordsByEntity, recordDeliveries, recordOrigin } from "./record-history";
import { getRecord, insertRecord, listRecords, requireEntity, transitionRecord, type RecordData, type StoredRecord } from "./store";

export async function createRecordAs(sql: Sql, input: { entity: string; data: RecordData }, actor: Actor): Promise<StoredRecord> {
  return sql.begin(async (tx) => {
    const { record } = await insertRecord(tx, input.entity, input.data);
    await auditAs(tx, actor, "record.created", `${record.entity}/${record.recordId}`, { status: record.status });
    return record;
  });
}

/** Approve an invoice, post a goods receipt…: the transition, its event and the audit row in one transaction. */
export async function transitionRecordAs(sql: Sql, input: { entity: string; recordId: string; toStatus: string }, actor: Actor): Promise<StoredRecord> {
  return sql.begin(async (tx) => {
    const before = await getRecord(tx, input.entity, input.recordId);
    const record = await transitionRecord(tx, input.entity, input.recordId, input.toStatus);
    await auditAs(tx, actor, "record.transitioned", `${record.entity}/${record.recordId}`, { from: before?.status ?? null, to: record.status });
    return record;
  });
}

/** "Send to API": one delivery per record through the chosen outgoing flow, queued with its audit row. */
export async function sendRecordsAs(sql: Sql, input: SendRecordsInput, actor: Actor): Promise<string[]> {
  return sql.begin(async (tx) => {
    const ids = await sendRecords(tx, input);
    await auditAs(tx, actor, "records.sent", input.flowSlug, { entity: input.entity, recordIds: input.recordIds, deliveryIds: ids });
    return ids;
  });
}

export interface RecordPageInput {
  entity: string;
  search?: string;
  status?: string;
  /** The last row of the previous page. */
  cursor?: string;
  limit: number;
}

/** Newest first, keyset-paginated. A status the entity does not have is refused, naming the ones it has. */
export async function pageRecords(sql: Queryable, input: RecordPageInput): Promise<{ items: StoredRecord[]; nextCursor: string | null }> {
  const entity = requireEntity(input.entity);
  if (input.status) {
    const statuses = Object.keys(entity.statuses?.transitions ?? {});
    if (!statuses.includes(input.status)) {
      throw new FlowError("VALIDATION_FAILED", {
        message: statuses.length ? `${entity.label} has no status "${input.status}" (statuses: ${statuses.join(", ")})` : `${entity.label} records have no status`,
        details: { status: input.status, statuses },
      });
    }
  }
  const rows = await listRecords(sql, entity.name, { search: input.search, status: input.status || undefined, limit: input.limit + 1, after: input.cursor ? { id: input.cursor } : undefined });
  const items = rows.slice(0, input.limit);
  return { items, nextCursor: rows.length > input.limit ? items.at(-1)!.id : null };
}

/** Every entity and master with its record count. */
export async function entitiesWithCounts(sql: Queryable) {
  const counts = await countRecordsByEntity(sql);
  return ENTITIES.map((e) => ({ name: e.name, label: e.label, kind: e.kind, count: counts[e.name] ?? 0 }));
}

/** One record: fields, status and the transitions allowed from it, where it came from, where it went. */
export async function recordDetail(sql: Queryable, input: { entity: string; recordId: string }) {
  const entity = requireEntity(input.entity);
  const record = await getRecord(sql, entity.name, input.recordId);
  if (!record) throw new FlowError("NOT_FOUND", { message: `${entity.label} ${input.recordId} not found` });
  const [origin, deliveries] = await Promise.all([recordOrigin(sql, record), recordDeliveries(sql, entity.name, record.recordId)]);
  const transitions = record.status ? (entity.statuses?.transitions[record.status] ?? []) : [];
  return { record, transitions, locked: record.status !== null && (entity.lockedStatuses ?? []).includes(record.status), origin, deliveries };
}
