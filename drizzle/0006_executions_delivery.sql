-- Outgoing attempts are executions too (the Outgoing Logs); each names its delivery.
ALTER TABLE executions ADD COLUMN IF NOT EXISTS delivery_id uuid;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS executions_delivery_idx ON executions (delivery_id) WHERE delivery_id IS NOT NULL;
