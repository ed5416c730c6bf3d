-- The log indexes written by every call and delivery, in ascending order (issue 5). Declared
-- (..., started_at DESC, id DESC), each new row went to the left edge of its index, where B-tree
-- page splits are 50/50: the old half-pages are never filled again, so these indexes grew to 2-4x
-- their size and split (and wrote WAL for a split) several times more often than needed. Ascending,
-- a new row goes to the right edge, which splits leaving full pages behind. The Logs' newest-first
-- keyset pages walk the same indexes backwards (`order by started_at desc, id desc` with the
-- `(started_at, id) < (...)` cursor): the plans are the same index scans, run backward.
-- The indexes of rare rows (failures, replays, non-200 codes) stay as they are.
-- Each index is rebuilt over every partition while the migration runs: on a large log, logging
-- waits for that (like 0010 and 0012).
-- Custom migration: drizzle-kit does not manage the partitioned executions table.
DROP INDEX IF EXISTS executions_direction_time_idx;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS executions_direction_time_idx ON executions (direction, started_at, id);
--> statement-breakpoint
DROP INDEX IF EXISTS executions_flow_keyset_idx;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS executions_flow_keyset_idx ON executions (flow_slug, started_at, id);
--> statement-breakpoint
DROP INDEX IF EXISTS executions_connection_idx;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS executions_connection_idx ON executions (connection_name, started_at, id) WHERE connection_name IS NOT NULL;
--> statement-breakpoint
DROP INDEX IF EXISTS executions_client_idx;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS executions_client_idx ON executions (client_name, started_at, id) WHERE client_name IS NOT NULL;
