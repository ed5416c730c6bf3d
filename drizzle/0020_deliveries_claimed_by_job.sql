-- Issue 18, exactly once: the graphile-worker job that claimed a delivery being sent. Another job
-- for the same delivery may take it over only once that job no longer holds its lock (it finished,
-- or its dead worker was force-unlocked): see server/outgoing/claim-delivery.ts.
ALTER TABLE "deliveries" ADD COLUMN "claimed_by_job" bigint;
