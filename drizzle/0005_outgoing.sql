CREATE TABLE "connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"base_url" text NOT NULL,
	"method" text DEFAULT 'POST' NOT NULL,
	"default_headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"credential_name" text,
	"timeout_ms" integer DEFAULT 10000 NOT NULL,
	"retry_policy" jsonb DEFAULT '{"maxAttempts":5,"baseDelayMs":1000,"maxDelayMs":300000}'::jsonb NOT NULL,
	"allow_private" boolean DEFAULT false NOT NULL,
	"follow_redirects" boolean DEFAULT false NOT NULL,
	"owner" text DEFAULT 'external' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "connections_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "credentials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"secret_enc" text NOT NULL,
	"secret_last4" text NOT NULL,
	"owner" text DEFAULT 'external' NOT NULL,
	"access_token_enc" text,
	"access_token_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credentials_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"flow_id" uuid NOT NULL,
	"flow_slug" text NOT NULL,
	"flow_version" integer NOT NULL,
	"entity" text NOT NULL,
	"record_id" text NOT NULL,
	"trigger" text NOT NULL,
	"event" jsonb,
	"idempotency_key" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"last_error" text,
	"last_error_code" text,
	"last_http_status" integer,
	"retryable" boolean,
	"reference_id" text,
	"payload_override" jsonb,
	"discard_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "deliveries_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE INDEX "deliveries_status_idx" ON "deliveries" USING btree ("status","updated_at");--> statement-breakpoint
CREATE INDEX "deliveries_record_idx" ON "deliveries" USING btree ("entity","record_id");--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_flow_record_event_uq" ON "deliveries" USING btree ("flow_slug","entity","record_id","idempotency_key");