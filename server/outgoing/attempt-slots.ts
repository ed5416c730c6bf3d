/**
 * How many outgoing attempts a worker process runs at once, whatever carries them: a job of first
 * attempts (dispatch.ts FIRST_ATTEMPTS_PER_JOB) or a retry's own job. An external system never
 * sees more concurrent calls from one worker than before first attempts were grouped into jobs
 * (graphile-worker's concurrency, WORKER_CONCURRENCY in server/jobs/runner.ts, was the limit).
 */
import pLimit from "p-limit";

export const ATTEMPTS_IN_FLIGHT = 16;

const limit = pLimit(ATTEMPTS_IN_FLIGHT);

/** Runs `attempt` when fewer than ATTEMPTS_IN_FLIGHT attempts are running in this process. */
export function withAttemptSlot<T>(attempt: () => Promise<T>): Promise<T> {
  return limit(attempt);
}

/** For tests: attempts running now, and waiting for a slot. */
export const attemptSlots = () => ({ active: limit.activeCount, pending: limit.pendingCount });
