/**
 * `maintain-executions` (nightly, from the crontab in runner.ts): creates the
 * coming months' log partitions and drops those past the retention period.
 */
import type { Task } from "graphile-worker";
import { getSql } from "../../db/client";
import { env } from "../../env";
import { dropOldExecutionPartitions, ensureExecutionPartitions } from "../../executions/partitions";
import { logger } from "../../log";

export const maintainExecutions: Task = async () => {
  const sql = await getSql();
  const created = await ensureExecutionPartitions(sql);
  const dropped = await dropOldExecutionPartitions(sql, env().FLOWPORT_LOG_RETENTION_MONTHS);
  logger().info({ created, dropped }, "execution log partitions maintained");
};
