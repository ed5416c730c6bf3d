/**
 * The ERP record store (standing in for StrategicERP): every entity's records in
 * one table, their unique keys in another so that PostgreSQL itself refuses a
 * duplicate (two concurrent inserts of one GSTIN yield exactly one record).
 */
import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const records = pgTable(
  "records",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    entity: text("entity").notNull(),
    /** The business id from the entity's numbering series, e.g. VEND-1023. */
    recordId: text("record_id").notNull(),
    status: text("status"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    /** Where the record came from: { kind: "incoming", flow, executionId } | { kind: "seed" } | … */
    origin: jsonb("origin").$type<Record<string, unknown>>(),
    /** Reference ids returned by external systems, by outgoing flow slug. */
    externalRefs: jsonb("external_refs").$type<Record<string, string>>().notNull().default({}),
    revision: integer("revision").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("records_entity_record_id_uq").on(t.entity, t.recordId),
    index("records_entity_created_idx").on(t.entity, t.createdAt),
    index("records_entity_status_idx").on(t.entity, t.status),
  ],
);

/** One row per unique key value; the primary key is the uniqueness constraint. */
export const recordKeys = pgTable(
  "record_keys",
  {
    entity: text("entity").notNull(),
    keyName: text("key_name").notNull(),
    /** Normalised (trimmed, upper-cased) so "27abcde…" and "27ABCDE… " collide. */
    keyValue: text("key_value").notNull(),
    recordUuid: uuid("record_uuid")
      .notNull()
      .references(() => records.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.entity, t.keyName, t.keyValue] }), index("record_keys_record_idx").on(t.recordUuid)],
);

/**
 * The transactional outbox of record events: written in the change's own
 * transaction (a cheap insert), moved into graphile-worker jobs in batches by
 * the worker (server/jobs/event-pump.ts). graphile_worker.add_job on every change
 * would NOTIFY per row, and NOTIFY serialises every commit of the database.
 */
export const recordEvents = pgTable("record_events", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
