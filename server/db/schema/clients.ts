/**
 * API clients: who may call our incoming endpoints (the seed's "credentials issued
 * by the ERP"). Keys and tokens are stored only as hashes with a short visible
 * prefix to find them; a signing secret must be usable for HMAC checks, so it is
 * encrypted (server/secrets/crypto.ts), never hashed.
 */
import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const apiClients = pgTable("api_clients", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  name: text("name").notNull().unique(),
  description: text("description").notNull().default(""),
  /** Flow slugs this client may call; ["*"] for every incoming flow. */
  flowScopes: text("flow_scopes").array().notNull().default(sql`'{}'::text[]`),
  /** CIDRs or addresses; empty means any address. */
  ipAllowlist: text("ip_allowlist").array().notNull().default(sql`'{}'::text[]`),
  /** Requests per minute; null means unlimited. */
  rateLimitPerMinute: integer("rate_limit_per_minute"),
  /** Standard Webhooks secret (whsec_…), encrypted at rest. */
  signingSecretEnc: text("signing_secret_enc"),
  /** When true, every call must carry a valid signature besides its key or token. */
  requireSignature: boolean("require_signature").notNull().default(false),
  active: boolean("active").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
});

export const apiCredentials = pgTable(
  "api_credentials",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    clientId: uuid("client_id")
      .notNull()
      .references(() => apiClients.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["api_key", "bearer"] }).notNull(),
    /** The first characters of the secret, shown in lists and used to find the row. */
    prefix: text("prefix").notNull().unique(),
    /** HMAC-SHA256 of the whole secret under the server key; compared in constant time. */
    hash: text("hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [index("api_credentials_client_idx").on(t.clientId)],
);

/** Standard Webhooks message ids already accepted, refused if replayed (kept past the tolerance). */
export const webhookMessages = pgTable(
  "webhook_messages",
  {
    clientId: uuid("client_id").notNull(),
    messageId: text("message_id").notNull(),
    seenAt: timestamp("seen_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.messageId] })],
);

/** Fixed-window request counters for per-client rate limits, shared by every web replica. */
export const rateLimitWindows = pgTable(
  "rate_limit_windows",
  {
    bucket: text("bucket").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.windowStart] })],
);
