ALTER TABLE "flow_versions" ADD COLUMN "note" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "flows" ADD COLUMN "draft_updated_by" text;