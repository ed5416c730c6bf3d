/**
 * `nightly-maintenance` (from the crontab in runner.ts): creates the coming months'
 * execution-log partitions, prunes the log by each flow's retention (whole monthly
 * partitions dropped, see server/logs/retention.ts), and forgets Idempotency-Keys
 * past their 24 hours (a claim replaces an expired key it meets, but keys nobody
 * reuses would otherwise stay forever).
 */
import type { Task } from "graphile-worker";
import { getSql } from "../../db/client";
import { ensureExecutionPartitions } from "../../executions/partitions";
import { pruneIdempotencyKeys } from "../../incoming/idempotency";
import { logger } from "../../log";
import { pruneExecutions } from "../../logs/retention";

export const nightlyMaintenance: Task = async () => {
  const sql = await getSql();
  const created = await ensureExecutionPartitions(sql);
  const pruned = await pruneExecutions(sql);
  const idempotencyKeys = await pruneIdempotencyKeys(sql);
  logger().info({ created, ...pruned, idempotencyKeys }, "nightly maintenance done");
};
