/**
 * Incoming-call bookkeeping. (Executions — the incoming and outgoing logs — are a
 * time-partitioned table drizzle-kit cannot express; they are created by the
 * custom migration drizzle/0003_executions.sql, see server/executions/.)
 */
import { integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** Idempotency-Key: the first answer of a keyed request, kept 24 hours. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    /** Who used the key for what: `${flowSlug}:${clientId}`; keys of different callers never collide. */
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    state: text("state", { enum: ["in_progress", "done"] }).notNull(),
    httpStatus: integer("http_status"),
    response: jsonb("response"),
    responseHeaders: jsonb("response_headers").$type<Record<string, string>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);
