-- Business search in the logs (issue 17): each row keeps the values of its flow's key fields
-- (a vendor's GST number and name...; flows/key-fields.ts) read from the logged request body at
-- log time, never from a redacted field (server/executions/search-keys.ts).
-- * search_keys: normalized (trimmed, spaces collapsed, lower case), found with `@>` through a
--   GIN index; NULL when a row has none, so rows without keys cost the index nothing.
-- * key_values: the same values as sent, for display (Logs, the designer's "Load from a logged
--   request"): a list of {field, value}, the flow's most telling key field first.
-- Rows logged before this migration have neither: they stay findable by their ids and error code.
-- Adding nullable columns without defaults rewrites nothing; the index is built over every
-- partition while the migration runs (like 0010, 0012, 0013).
-- Custom migration: drizzle-kit does not manage the partitioned executions table.
ALTER TABLE executions ADD COLUMN IF NOT EXISTS search_keys text[];
--> statement-breakpoint
ALTER TABLE executions ADD COLUMN IF NOT EXISTS key_values jsonb;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS executions_search_keys_idx ON executions USING gin (search_keys) WHERE search_keys IS NOT NULL;
