/**
 * `nightly-maintenance` (from the crontab in runner.ts): creates the coming months'
 * execution-log partitions, drops those past the retention period, and forgets
 * Idempotency-Keys past their 24 hours (a claim replaces an expired key it meets,
 * but keys nobody reuses would otherwise stay forever).
 */
import type { Task } from "graphile-worker";
import { getSql } from "../../db/client";
import { env } from "../../env";
import { dropOldExecutionPartitions, ensureExecutionPartitions } from "../../executions/partitions";
import { pruneIdempotencyKeys } from "../../incoming/idempotency";
import { logger } from "../../log";

export const nightlyMaintenance: Task = async () => {
  const sql = await getSql();
  const created = await ensureExecutionPartitions(sql);
  const dropped = await dropOldExecutionPartitions(sql, env().FLOWPORT_LOG_RETENTION_MONTHS);
  const idempotencyKeys = await pruneIdempotencyKeys(sql);
  logger().info({ created, dropped, idempotencyKeys }, "nightly maintenance done");
};
