-- Issue 18: a circuit per connection, shared by every worker process through this table, and the
-- per-connection receiver limits. A delivery records the connection its flow sends through (so
-- the attempt's claim reads the circuit in the same statement) and since when the circuit holds it.
CREATE TABLE "connection_circuits" (
	"connection_name" text PRIMARY KEY NOT NULL,
	"state" text DEFAULT 'closed' NOT NULL,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL,
	"next_probe_at" timestamp with time zone,
	"paused_until" timestamp with time zone,
	"paused_by" text,
	"alerted_state" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "connection_circuits_state_check" CHECK ("state" IN ('closed', 'open', 'half_open', 'paused'))
);
--> statement-breakpoint
CREATE TABLE "connection_rate_limits" (
	"connection_name" text PRIMARY KEY NOT NULL,
	"tokens" double precision NOT NULL,
	"refilled_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "connection_leases" (
	"connection_name" text NOT NULL,
	"slot" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "connection_leases_pk" PRIMARY KEY ("connection_name", "slot")
);
--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "max_in_flight" integer;
--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "max_per_second" integer;
--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "connection_name" text;
--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "held_since" timestamp with time zone;
--> statement-breakpoint
-- What a closing circuit releases: held deliveries and those waiting for a retry. New deliveries
-- (no attempt yet, not held) stay out of it, so the hot path's inserts do not write it.
CREATE INDEX "deliveries_connection_waiting_idx" ON "deliveries" ("connection_name")
	WHERE "status" = 'pending' AND ("held_since" IS NOT NULL OR "attempts" > 0);
--> statement-breakpoint
-- Deliveries still to be sent learn their connection from their flow version's (first) send node.
UPDATE "deliveries" "d" SET "connection_name" = (
	SELECT "n" -> 'config' ->> 'connection'
	FROM "flow_versions" "v", jsonb_array_elements("v"."definition"::jsonb -> 'nodes') "n"
	WHERE "v"."flow_id" = "d"."flow_id" AND "v"."version" = "d"."flow_version" AND "n" ->> 'type' = 'send'
	LIMIT 1)
WHERE "d"."status" IN ('pending', 'delivering');
--> statement-breakpoint
-- Operations alerts (server/outgoing/alerts.ts): one open alert per kind and connection; a repeat
-- while it is unacknowledged only counts up (deduplicated per connection and state change).
CREATE TABLE "ops_alerts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"connection_name" text NOT NULL,
	"message" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"count" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "ops_alerts_open_idx" ON "ops_alerts" ("kind", "connection_name") WHERE "acknowledged_at" IS NULL;
--> statement-breakpoint
-- Order per record (server/outgoing/record-order.ts): only deliveries of flows that ask for it
-- carry a key and a place in line, so the indexes below hold nothing else.
ALTER TABLE "deliveries" ADD COLUMN "order_key" text;
--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "order_seq" bigint;
--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "waiting_for" uuid;
--> statement-breakpoint
CREATE SEQUENCE "deliveries_order_seq";
--> statement-breakpoint
CREATE INDEX "deliveries_order_idx" ON "deliveries" ("flow_id", "order_key", "order_seq")
	WHERE "order_key" IS NOT NULL AND "status" IN ('pending', 'delivering', 'failed');
--> statement-breakpoint
CREATE INDEX "deliveries_waiting_for_idx" ON "deliveries" ("waiting_for") WHERE "waiting_for" IS NOT NULL;
