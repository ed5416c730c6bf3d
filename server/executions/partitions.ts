/**
 * Monthly partitions of `executions` (see drizzle/0003_executions.sql): created
 * ahead of time at start-up and daily by the worker; pruning drops whole months
 * (server/logs/retention.ts).
 */
import type { Sql } from "postgres";

/** Ensures partitions from last month to `monthsAhead` months ahead. Returns how many were created. */
export async function ensureExecutionPartitions(sql: Sql, monthsAhead = 3): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select ensure_execution_partitions((now() - interval '1 month')::date, ${monthsAhead + 2}) as n`;
  return row?.n ?? 0;
}
