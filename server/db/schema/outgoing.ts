/**
 * Outgoing API (the seed's §4): where we send (connections), with what
 * (credentials from the external system's owner, encrypted at rest), and each
 * delivery of a record to a flow with its attempts and Failed Queue state.
 */
import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/** One operator action on a delivery. `actor` is `cli:<os user>` from the CLI, the signed-in user from the app. */
export interface DeliveryAuditEntry {
  action: "retry" | "discard";
  actor: string;
  at: string;
  reason?: string;
  /** Retry with an edited request body ("edit and retry"). */
  payloadEdited?: boolean;
}

export const connections = pgTable("connections", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  name: text("name").notNull().unique(),
  baseUrl: text("base_url").notNull(),
  method: text("method").notNull().default("POST"),
  defaultHeaders: jsonb("default_headers").$type<Record<string, string>>().notNull().default({}),
  credentialName: text("credential_name"),
  timeoutMs: integer("timeout_ms").notNull().default(10_000),
  /** The connection's retry schedule and attempts (null: the default); a flow's explicit send-node policy wins (server/outgoing/dispatch.ts). */
  retryScheduleMs: integer("retry_schedule_ms").array(),
  retryMaxAttempts: integer("retry_max_attempts"),
  /** Admin override of the SSRF guard: loopback/private targets are refused unless this is set. */
  allowPrivate: boolean("allow_private").notNull().default(false),
  followRedirects: boolean("follow_redirects").notNull().default(false),
  /** Who provided the endpoint and its credentials (the seed's credential rule). */
  owner: text("owner").notNull().default("external"),
  /** Receiver protection (server/outgoing/receiver-limits.ts): calls at once and calls per second, across all workers; null = no limit. */
  maxInFlight: integer("max_in_flight"),
  maxPerSecond: integer("max_per_second"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** A connection's circuit (server/outgoing/circuit.ts); no row = closed, never failed. */
export const connectionCircuits = pgTable("connection_circuits", {
  connectionName: text("connection_name").primaryKey(),
  state: text("state", { enum: ["closed", "open", "half_open", "paused"] }).notNull().default("closed"),
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  since: timestamp("since", { withTimezone: true }).notNull().defaultNow(),
  nextProbeAt: timestamp("next_probe_at", { withTimezone: true }),
  /** paused: until when (null = until resumed by hand). */
  pausedUntil: timestamp("paused_until", { withTimezone: true }),
  /** "receiver" (a 429 with Retry-After) or the operator who paused it. */
  pausedBy: text("paused_by"),
  /** The state an alert was last raised for (alerts are deduplicated per state change). */
  alertedState: text("alerted_state"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Per-connection token bucket for max_per_second (receiver-limits.ts). */
export const connectionRateLimits = pgTable("connection_rate_limits", {
  connectionName: text("connection_name").primaryKey(),
  tokens: doublePrecision("tokens").notNull(),
  refilledAt: timestamp("refilled_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Per-connection in-flight slots for max_in_flight (receiver-limits.ts): a lease expires if its worker dies. */
export const connectionLeases = pgTable(
  "connection_leases",
  {
    connectionName: text("connection_name").notNull(),
    slot: integer("slot").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: "connection_leases_pk", columns: [t.connectionName, t.slot] })],
);

/** Operations alerts (server/outgoing/alerts.ts): one open per kind and connection, repeats count up. */
export const opsAlerts = pgTable(
  "ops_alerts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    kind: text("kind").notNull(),
    connectionName: text("connection_name").notNull(),
    message: text("message").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    count: integer("count").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
    acknowledgedBy: text("acknowledged_by"),
  },
  (t) => [uniqueIndex("ops_alerts_open_idx").on(t.kind, t.connectionName).where(sql`${t.acknowledgedAt} IS NULL`)],
);

export const credentials = pgTable("credentials", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  name: text("name").notNull().unique(),
  type: text("type", { enum: ["api_key", "bearer", "basic", "webhook_signing", "oauth2_client_credentials"] }).notNull(),
  /** Non-secret settings: header name, username, token URL, client id, scope. */
  config: jsonb("config").$type<Record<string, string>>().notNull().default({}),
  /** The secret, AES-256-GCM under FLOWPORT_SECRET_KEY (server/secrets/crypto.ts), with its key id. */
  secretEnc: text("secret_enc").notNull(),
  /** Last 4 characters, the only part ever shown again. */
  secretLast4: text("secret_last4").notNull(),
  owner: text("owner").notNull().default("external"),
  /** OAuth2 client credentials: the cached access token (encrypted) and when it expires. */
  accessTokenEnc: text("access_token_enc"),
  accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const deliveries = pgTable(
  "deliveries",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    flowId: uuid("flow_id").notNull(),
    flowSlug: text("flow_slug").notNull(),
    flowVersion: integer("flow_version").notNull(),
    entity: text("entity").notNull(),
    recordId: text("record_id").notNull(),
    trigger: text("trigger", { enum: ["event", "manual", "schedule", "retry"] }).notNull(),
    event: jsonb("event").$type<Record<string, unknown>>(),
    /** Sent as Idempotency-Key on every attempt of this delivery. */
    idempotencyKey: text("idempotency_key").notNull().unique(),
    status: text("status", { enum: ["pending", "delivering", "succeeded", "failed", "discarded"] }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull(),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    lastError: text("last_error"),
    lastErrorCode: text("last_error_code"),
    lastHttpStatus: integer("last_http_status"),
    retryable: boolean("retryable"),
    referenceId: text("reference_id"),
    /** Failed Queue "edit and retry": the edited request body (the original stays in the first attempt's log). */
    payloadOverride: jsonb("payload_override"),
    discardReason: text("discard_reason"),
    /** Operator actions on this delivery (Failed Queue retry, discard): who and when, oldest first. */
    audit: jsonb("audit").$type<DeliveryAuditEntry[]>().notNull().default([]),
    /** The connection its flow sends through (its circuit and limits apply). */
    connectionName: text("connection_name"),
    /** Since when an open or paused circuit holds it (null: not held). */
    heldSince: timestamp("held_since", { withTimezone: true }),
    /** Order per record (record-order.ts): the key, the place in line, and the delivery this one waits behind. */
    orderKey: text("order_key"),
    orderSeq: bigint("order_seq", { mode: "number" }),
    waitingFor: uuid("waiting_for"),
    /** The graphile-worker job whose run claimed it (server/outgoing/claim-delivery.ts: exactly once). */
    claimedByJob: bigint("claimed_by_job", { mode: "number" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    index("deliveries_status_idx").on(t.status, t.updatedAt),
    index("deliveries_record_idx").on(t.entity, t.recordId),
    // A scheduled run's deliveries, for the next run's "already sent" test (schedules.ts). Partial:
    // not written for the event and manual deliveries, which the record index finds. (It replaced a
    // unique index of (flow, entity, record, idempotency key) that the idempotency key's own unique
    // constraint made redundant, and that every delivery's insert and two updates wrote.)
    index("deliveries_schedule_runs_idx").on(t.flowSlug, t.entity).where(sql`${t.trigger} = 'schedule'`),
    index("deliveries_connection_waiting_idx")
      .on(t.connectionName)
      .where(sql`${t.status} = 'pending' AND (${t.heldSince} IS NOT NULL OR ${t.attempts} > 0)`),
    index("deliveries_order_idx")
      .on(t.flowId, t.orderKey, t.orderSeq)
      .where(sql`${t.orderKey} IS NOT NULL AND ${t.status} IN ('pending', 'delivering', 'failed')`),
    index("deliveries_waiting_for_idx").on(t.waitingFor).where(sql`${t.waitingFor} IS NOT NULL`),
  ],
);
