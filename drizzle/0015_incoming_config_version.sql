-- One number that changes whenever anything an incoming call's endpoint or credential check reads
-- changes: the incoming path caches that lookup per process and re-reads this number inside the
-- call's own transaction (server/incoming/endpoint-cache.ts), so a revoked key, a new version or a
-- deactivated flow takes effect on the very next request from any process. A row (not a sequence):
-- the bump commits with the change that caused it, so no reader sees a new number with old data.
-- Only the columns the lookup reads: last_used_at (written once a minute per key) does not bump.
CREATE TABLE "incoming_config_version" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL CHECK ("id"),
	"version" bigint NOT NULL
);
--> statement-breakpoint
INSERT INTO "incoming_config_version" ("id", "version") VALUES (true, 1);
--> statement-breakpoint
CREATE FUNCTION "bump_incoming_config_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE "incoming_config_version" SET "version" = "version" + 1;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "flows_incoming_config" AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF "id", "slug", "direction", "active", "published_version"
	ON "flows" FOR EACH STATEMENT EXECUTE FUNCTION "bump_incoming_config_version"();
--> statement-breakpoint
CREATE TRIGGER "flow_versions_incoming_config" AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE
	ON "flow_versions" FOR EACH STATEMENT EXECUTE FUNCTION "bump_incoming_config_version"();
--> statement-breakpoint
CREATE TRIGGER "api_clients_incoming_config" AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF "id", "name", "active", "flow_scopes", "ip_allowlist", "rate_limit_per_minute", "signing_secret_enc", "require_signature"
	ON "api_clients" FOR EACH STATEMENT EXECUTE FUNCTION "bump_incoming_config_version"();
--> statement-breakpoint
CREATE TRIGGER "api_credentials_incoming_config" AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF "id", "client_id", "kind", "prefix", "hash", "expires_at", "revoked_at"
	ON "api_credentials" FOR EACH STATEMENT EXECUTE FUNCTION "bump_incoming_config_version"();
--> statement-breakpoint
-- app_meta also holds keys written all the time (worker.ping): only the default status rules count.
CREATE TRIGGER "app_meta_status_rules_written" AFTER INSERT OR UPDATE ON "app_meta" FOR EACH ROW
	WHEN (NEW."key" = 'settings.status-rules') EXECUTE FUNCTION "bump_incoming_config_version"();
--> statement-breakpoint
CREATE TRIGGER "app_meta_status_rules_deleted" AFTER DELETE ON "app_meta" FOR EACH ROW
	WHEN (OLD."key" = 'settings.status-rules') EXECUTE FUNCTION "bump_incoming_config_version"();
--> statement-breakpoint
CREATE TRIGGER "app_meta_incoming_config_truncated" AFTER TRUNCATE ON "app_meta" FOR EACH STATEMENT EXECUTE FUNCTION "bump_incoming_config_version"();
