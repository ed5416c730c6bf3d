-- Issue 18: a retry schedule and an attempt count per connection (null = the default schedule of
-- flows/nodes/send/definition.ts). A flow's explicit send-node policy still wins over them. The old
-- retry_policy column (exponential backoff settings) was never applied to a delivery: dropped, so
-- nothing shows a setting that does nothing.
ALTER TABLE "connections" ADD COLUMN "retry_schedule_ms" integer[];
--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "retry_max_attempts" integer;
--> statement-breakpoint
ALTER TABLE "connections" ADD CONSTRAINT "connections_retry_max_attempts_check" CHECK ("retry_max_attempts" BETWEEN 1 AND 20);
--> statement-breakpoint
ALTER TABLE "connections" DROP COLUMN "retry_policy";
