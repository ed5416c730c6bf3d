/**
 * Log retention, run nightly (server/jobs/tasks/nightly-maintenance.ts).
 *
 * Executions live in monthly partitions (drizzle/0003_executions.sql). Each flow keeps its logs
 * `flows.retention_days` (default 30); calls that belong to no flow (an unknown endpoint's 404)
 * keep FLOWPORT_LOG_RETENTION_DAYS. Pruning has two steps:
 *
 * 1. A whole month is dropped (DROP TABLE of its partition: no row-by-row delete, no bloat, no
 *    vacuum) once it ended before the LONGEST retention of any flow, i.e. when nothing in it may
 *    be kept any more. Dropping a partition briefly takes an exclusive lock on `executions`
 *    (PostgreSQL cannot DETACH … CONCURRENTLY while a DEFAULT partition exists), so it runs with a
 *    short lock_timeout and retries: it never waits behind a long report while every insert of
 *    the incoming endpoints queues behind it. Inserts wait for the milliseconds of the drop only.
 * 2. Flows whose retention is shorter than the longest lose their older rows by small batched
 *    DELETEs on the (flow_slug, started_at) index. We chose this over daily partitions, which
 *    would make every retention exact by DROP alone but multiply the partitions (30 per month,
 *    each with a dozen indexes, every one visited by a query without a time range). With monthly
 *    partitions and the default 30 days, these deletes touch at most the tail of the oldest one
 *    or two months, in batches of a few thousand rows, each its own short transaction, and the
 *    space they free is reused by new rows of that month or returned when the month is dropped.
 */
import type { Sql } from "postgres";
import { z } from "zod";
import { env } from "@/server/env";
import { logger } from "@/server/log";
import type { Queryable } from "@/server/db/queryable";

export const DEFAULT_RETENTION_DAYS = 30;
export const retentionDaysSchema = z.number().int().min(1).max(3650);

const DELETE_BATCH = 5_000;
const DROP_LOCK_TIMEOUT = "2s";
const DROP_ATTEMPTS = 5;

export interface RetentionRow {
  slug: string;
  name: string;
  direction: string;
  retentionDays: number;
}

export async function listRetention(sql: Queryable): Promise<RetentionRow[]> {
  const rows = await sql<{ slug: string; name: string; direction: string; retention_days: number }[]>`
    select slug, name, direction, retention_days from flows order by slug`;
  return rows.map((r) => ({ slug: r.slug, name: r.name, direction: r.direction, retentionDays: r.retention_days }));
}

/** Sets a flow's retention; returns false when the flow does not exist. */
export async function setRetentionDays(sql: Queryable, slug: string, days: number): Promise<boolean> {
  const valid = retentionDaysSchema.parse(days);
  const rows = await sql`update flows set retention_days = ${valid}, updated_at = now() where slug = ${slug} returning id`;
  return rows.length > 0;
}

export interface PruneResult {
  droppedPartitions: string[];
  deletedRows: number;
}

interface Partition {
  name: string;
  /** First instant after the partition's month. */
  end: Date;
}

async function monthlyPartitions(sql: Queryable): Promise<Partition[]> {
  const rows = await sql<{ name: string }[]>`
    select c.relname as name
    from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
    where p.relname = 'executions' and c.relname ~ '^executions_[0-9]{4}_[0-9]{2}$'
    order by 1`;
  return rows.map(({ name }) => {
    const [, y, m] = /^executions_(\d{4})_(\d{2})$/.exec(name)!;
    return { name, end: new Date(Date.UTC(Number(y), Number(m), 1)) };
  });
}

const isLockTimeout = (error: unknown) => (error as { code?: string }).code === "55P03";

async function dropPartition(sql: Sql, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await sql.begin(async (tx) => {
        await tx.unsafe(`set local lock_timeout = '${DROP_LOCK_TIMEOUT}'`);
        await tx.unsafe(`drop table if exists "${name}"`);
      });
      return;
    } catch (error) {
      if (!isLockTimeout(error) || attempt >= DROP_ATTEMPTS) throw error;
      logger().info({ partition: name, attempt }, "execution partition busy; trying again");
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

/** Deletes, a batch per transaction, the rows `where` selects; returns how many. */
async function deleteInBatches(sql: Sql, where: (sql: Sql) => ReturnType<Sql>, table = "executions"): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await sql`
      delete from ${sql(table)} where (id, started_at) in (
        select id, started_at from ${sql(table)} where ${where(sql)} limit ${DELETE_BATCH})`;
    total += deleted.count;
    if (deleted.count < DELETE_BATCH) return total;
  }
}

export async function pruneExecutions(sql: Sql, options: { now?: Date } = {}): Promise<PruneResult> {
  const now = options.now ?? new Date();
  const defaultDays = env().FLOWPORT_LOG_RETENTION_DAYS;
  const flows = await sql<{ slug: string; retention_days: number }[]>`select slug, retention_days from flows`;
  const longest = Math.max(defaultDays, ...flows.map((f) => f.retention_days));
  const cutoffOf = (days: number) => new Date(now.getTime() - days * 86_400_000);

  const droppedPartitions: string[] = [];
  for (const partition of await monthlyPartitions(sql)) {
    if (partition.end <= cutoffOf(longest)) {
      await dropPartition(sql, partition.name);
      droppedPartitions.push(partition.name);
    }
  }

  // Rows older than every monthly partition sit in the DEFAULT partition, which is never dropped.
  const longestCutoff = cutoffOf(longest);
  let deletedRows = await deleteInBatches(sql, (q) => q`started_at < ${longestCutoff}`, "executions_default");
  for (const flow of flows) {
    if (flow.retention_days >= longest) continue;
    const cutoff = cutoffOf(flow.retention_days);
    deletedRows += await deleteInBatches(sql, (q) => q`flow_slug = ${flow.slug} and started_at < ${cutoff}`);
  }
  if (defaultDays < longest) {
    const cutoff = cutoffOf(defaultDays);
    deletedRows += await deleteInBatches(
      sql,
      (q) => q`started_at < ${cutoff} and (flow_slug is null or not exists (select 1 from flows f where f.slug = executions.flow_slug))`,
    );
  }
  return { droppedPartitions, deletedRows };
}
