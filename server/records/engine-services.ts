/**
 * The engine's view of the ERP (EngineServices.records) over the PostgreSQL record
 * store, bound to one SQL handle: the caller's transaction. Batch items get a
 * savepoint each through `transaction`, so one failed item undoes only itself.
 */
import type { TransactionSql } from "postgres";
import type { UnitOfWork } from "@/server/db/unit-of-work";
import type { EngineServices, RecordServices, StoreOptions } from "@/server/engine/services";
import { FlowError } from "@/server/engine/errors";
import { existsBatcher } from "./exists-batch";
import { findRecordByField, listRecords, patchRecordData, requireEntity, upsertRecord, insertRecord } from "./store";
import type { Queryable } from "@/server/db/queryable";

function originOf(options: StoreOptions, extra: Record<string, unknown> | undefined) {
  return { kind: options.flowSlug ? "flow" : "api", flow: options.flowSlug, executionId: options.executionId, ...extra };
}

export interface RecordServicesOptions {
  /**
   * Told +1 before each write that may leave rows behind should the flow fail later, and -1 when an
   * insert refused as a duplicate undid its own rows (insertRecord), so that one left nothing.
   * Incoming calls sharing a transaction (server/incoming/call-group.ts) learn from the sum whether
   * a failed call can stay in the shared commit.
   */
  onWrite?: (change: 1 | -1) => void;
  /** Existence lookups shared with other calls on the same transaction (default: this run's own). */
  exists?: (entity: string, field: string, value: unknown) => Promise<boolean>;
  /** Added to the origin of every record written: a replay's kind and the operator who started it. */
  origin?: Record<string, unknown>;
}

export function recordServices(sql: Queryable, { onWrite, exists = existsBatcher(sql), origin }: RecordServicesOptions = {}): RecordServices {
  return {
    async insert(entity, data, options) {
      onWrite?.(1);
      try {
        const { record, created } = await insertRecord(sql, entity, data, { dryRun: options.dryRun, origin: originOf(options, origin) });
        return { id: record.recordId, record: record.data, created };
      } catch (error) {
        if (error instanceof FlowError && error.code === "DUPLICATE_RECORD") onWrite?.(-1);
        throw error;
      }
    },
    async upsert(entity, keyField, data, options) {
      onWrite?.(1);
      const { record, created } = await upsertRecord(sql, entity, keyField, data, { dryRun: options.dryRun, origin: originOf(options, origin) });
      return { id: record.recordId, record: record.data, created };
    },
    exists(entity, field, value) {
      return exists(entity, field, value);
    },
    async findByKey(entity, field, value) {
      return (await findRecordByField(sql, entity, field, value))?.data ?? null;
    },
    async masterExists(master, value, options) {
      const entity = requireEntity(master);
      return exists(entity.name, options.field ?? entity.titleField, value);
    },
    async lookup(name, key, options) {
      const entity = requireEntity(name);
      const found = await findRecordByField(sql, entity.name, options.field ?? entity.uniqueKeys[0]?.[0] ?? entity.titleField, key);
      return found ? { ...found.data, recordId: found.recordId, status: found.status } : null;
    },
    async list(entity, filter, options) {
      const rows = await listRecords(sql, entity, { where: filter, limit: options.limit });
      return rows.map((r) => ({ ...r.data, recordId: r.recordId, status: r.status }));
    },
    async update(entity, id, patch, options) {
      if (options.dryRun) return;
      onWrite?.(1);
      await patchRecordData(sql, entity, id, patch, externalRefOf(patch, options));
    },
  };
}

/**
 * The external reference an update carries: a flow's patch with a single text value is the send
 * node's reference field, also kept per outgoing flow for the record's delivery history.
 */
export function externalRefOf(patch: Record<string, unknown>, options: StoreOptions): { flowSlug: string; referenceId: string } | undefined {
  const refs = Object.values(patch).filter((v): v is string => typeof v === "string");
  return options.flowSlug && refs.length === 1 ? { flowSlug: options.flowSlug, referenceId: refs[0]! } : undefined;
}

/** Services for one run inside `tx`; `extra` adds auth, send, clock or a logger. */
export function postgresServices(
  tx: TransactionSql | UnitOfWork,
  extra: Omit<EngineServices, "records" | "transaction"> = {},
  options: RecordServicesOptions = {},
): EngineServices {
  const services: EngineServices = { ...extra, records: recordServices(typeof tx === "function" ? tx : tx.sql, options) };
  services.transaction = (fn) => (tx.savepoint(() => fn(services)) as never);
  return services;
}
