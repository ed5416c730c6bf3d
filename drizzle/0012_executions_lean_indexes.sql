-- Fewer index entries per logged call (issue 4: the executions insert was the costliest statement
-- of an incoming call, one entry in each of 7 indexes). Searches keep an index each:
-- * request_id: an incoming call's execution id is the request id Flowport generated for it, so
--   those rows are found by primary key (server/logs/filter.ts); this index keeps only the ids
--   callers sent themselves (x-request-id) and other rows whose request id is not their id.
-- * http_status: nearly every row is a 200, which a filter finds on executions_direction_time_idx
--   within a page; the index keeps the other codes (the filter states `http_status <> 200`).
-- Both indexes are built over every partition while the migration runs: on a large log, logging
-- waits for that (like 0010).
-- Custom migration: drizzle-kit does not manage the partitioned executions table.
DROP INDEX IF EXISTS executions_request_id_idx;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS executions_caller_request_id_idx ON executions (request_id) WHERE request_id IS NOT NULL AND request_id <> id::text;
--> statement-breakpoint
DROP INDEX IF EXISTS executions_http_status_idx;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS executions_http_status_not_200_idx ON executions (direction, http_status, started_at DESC, id DESC) WHERE http_status <> 200;
