-- The `record-event` task is gone: the event pump (server/jobs/event-pump.ts) fans record events
-- out from the record_events outbox. graphile-worker only fetches jobs whose task the worker knows,
-- so a record-event job queued by an earlier version would wait forever and its event be lost:
-- each waiting one goes back into the outbox (the pump delivers it) and the job is deleted.
-- Left alone: a job a running older worker holds (it finishes it; moving it would deliver twice)
-- and one that already failed for good. A lock older than 4 hours is graphile-worker's own sign
-- that its worker died, so such a job is moved. On a fresh database graphile-worker's schema does
-- not exist yet (it is migrated after ours), and there is nothing to move.
DO $$
BEGIN
	IF to_regclass('graphile_worker._private_jobs') IS NOT NULL THEN
		WITH "moved" AS (
			DELETE FROM "graphile_worker"."_private_jobs" "j"
			USING "graphile_worker"."_private_tasks" "t"
			WHERE "t"."id" = "j"."task_id" AND "t"."identifier" = 'record-event'
				AND "j"."attempts" < "j"."max_attempts"
				AND ("j"."locked_at" IS NULL OR "j"."locked_at" < now() - interval '4 hours')
			RETURNING "j"."id", "j"."payload", "j"."created_at"
		)
		INSERT INTO "record_events" ("payload", "created_at")
		SELECT "payload", "created_at" FROM "moved" ORDER BY "id";
	END IF;
END $$;
