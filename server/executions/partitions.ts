/**
 * Monthly partitions of `executions` (see drizzle/0003_executions.sql): created
 * ahead of time at start-up and daily by the worker; pruning drops whole months.
 */
import type { Sql } from "postgres";

/** Ensures partitions from last month to `monthsAhead` months ahead. Returns how many were created. */
export async function ensureExecutionPartitions(sql: Sql, monthsAhead = 3): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select ensure_execution_partitions((now() - interval '1 month')::date, ${monthsAhead + 2}) as n`;
  return row?.n ?? 0;
}

/** Drops monthly partitions that ended before `keepMonths` months ago. Returns their names. */
export async function dropOldExecutionPartitions(sql: Sql, keepMonths: number): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`
    select c.relname as name
    from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
    where p.relname = 'executions' and c.relname ~ '^executions_[0-9]{4}_[0-9]{2}$'`;
  const cutoff = new Date();
  cutoff.setUTCMonth(cutoff.getUTCMonth() - keepMonths, 1);
  cutoff.setUTCHours(0, 0, 0, 0);
  const dropped: string[] = [];
  for (const { name } of rows) {
    const [, y, m] = /^executions_(\d{4})_(\d{2})$/.exec(name)!;
    const monthEnd = new Date(Date.UTC(Number(y), Number(m), 1)); // first day of the next month
    if (monthEnd <= cutoff) {
      await sql.unsafe(`drop table if exists "${name}"`);
      dropped.push(name);
    }
  }
  return dropped;
}
