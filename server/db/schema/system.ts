/** Tables the platform itself needs: worker liveness and one-off markers such as "seeded". */
import { pgTable, text, timestamp, integer, jsonb } from "drizzle-orm/pg-core";

/** One row per running worker process; /api/health reads the freshest `lastSeenAt`. */
export const workerHeartbeats = pgTable("worker_heartbeats", {
  workerId: text("worker_id").primaryKey(),
  hostname: text("hostname").notNull(),
  pid: integer("pid").notNull(),
  /** graphile-worker's own worker ids, so a crashed process's locked jobs can be force-unlocked. */
  graphileWorkerIds: text("graphile_worker_ids").array().notNull().default([]),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Small key/value facts about this installation (for example when it was first seeded). */
export const appMeta = pgTable("app_meta", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
