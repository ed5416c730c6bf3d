-- Indexes for the Incoming and Outgoing Logs (server/logs/): every filter walks an index in
-- (started_at DESC, id DESC) order and stops after one page, so a page costs the same at a
-- million rows as at a thousand. Failures are rare, so their index is partial and small.
-- Custom migration: drizzle-kit does not manage the partitioned executions table.
DROP INDEX IF EXISTS executions_flow_time_idx;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS executions_flow_keyset_idx ON executions (flow_slug, started_at DESC, id DESC);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS executions_problem_status_idx ON executions (direction, status, started_at DESC, id DESC) WHERE status <> 'SUCCESS';
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS executions_http_status_idx ON executions (direction, http_status, started_at DESC, id DESC);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS executions_client_idx ON executions (client_name, started_at DESC, id DESC) WHERE client_name IS NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS executions_connection_idx ON executions (connection_name, started_at DESC, id DESC) WHERE connection_name IS NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS executions_not_live_idx ON executions (direction, mode, started_at DESC, id DESC) WHERE mode <> 'live';
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS executions_replay_of_idx ON executions (replay_of) WHERE replay_of IS NOT NULL;
