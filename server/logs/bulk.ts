/**
 * "Replay or retry everything matching the filter": the operator sees how many executions the
 * filter matches (every page, not the one on screen), confirms that number, and the action runs
 * on exactly the rows the filter selects. A confirmation for a different number is refused (the
 * log moved on since the count; count again), and so is a selection above MAX_BULK: narrow it.
 */
import type { Sql } from "postgres";
import type { Queryable } from "@/server/db/queryable";
import { retryDeliveries } from "@/server/outgoing/failed-queue";
import { LogActionError } from "./errors";
import { logFilterSql, type LogFilter } from "./filter";
import { replayExecution, type ReplayActor, type ReplayTarget } from "./replay";

export const MAX_BULK = 1000;

/** Bulk replays re-run the calls that came in, never earlier replays or dry runs of them. */
const replayable = (filter: LogFilter): LogFilter => ({ ...filter, direction: "incoming", mode: "live" });

/** The filter's columns are unqualified (they name executions), so deliveries stay in a subquery. */
const failedDelivery = (sql: Queryable) => sql`exists (select 1 from deliveries d where d.id = executions.delivery_id and d.status = 'failed')`;

/** What a bulk action on `filter` would act on: incoming calls to replay, or failed deliveries to retry. */
export async function bulkCount(sql: Queryable, filter: LogFilter): Promise<number> {
  if (filter.direction === "incoming") {
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from executions where ${logFilterSql(sql, replayable(filter))} and flow_slug is not null`;
    return row!.n;
  }
  const [row] = await sql<{ n: number }[]>`
    select count(distinct delivery_id)::int as n from executions where ${logFilterSql(sql, filter)} and ${failedDelivery(sql)}`;
  return row!.n;
}

function checkConfirmation(count: number, confirmedCount: number) {
  if (count === 0) throw new LogActionError("BAD_REQUEST", "Nothing matches this filter");
  if (count > MAX_BULK) throw new LogActionError("BAD_REQUEST", `${count} match; act on at most ${MAX_BULK} at once (narrow the filter, for example by time)`);
  if (count !== confirmedCount) {
    throw new LogActionError("CONFLICT", `The filter now matches ${count}, not the ${confirmedCount} you confirmed; check the count and confirm again`);
  }
}

export interface BulkReplayResult {
  replayed: number;
  succeeded: number;
  failed: number;
  executionIds: string[];
}

/** Replays every incoming call matching `filter`, oldest first, one at a time. */
export async function replayMatching(sql: Sql, filter: LogFilter, options: { target: ReplayTarget; confirmedCount: number; actor: ReplayActor }): Promise<BulkReplayResult> {
  const count = await bulkCount(sql, { ...filter, direction: "incoming" });
  checkConfirmation(count, options.confirmedCount);
  const rows = await sql<{ id: string }[]>`
    select id from executions where ${logFilterSql(sql, replayable(filter))} and flow_slug is not null
    order by started_at, id limit ${MAX_BULK}`;
  const result: BulkReplayResult = { replayed: 0, succeeded: 0, failed: 0, executionIds: [] };
  for (const { id } of rows) {
    const outcome = await replayExecution(sql, id, { target: options.target, actor: options.actor });
    result.replayed++;
    if (outcome.status === "SUCCESS") result.succeeded++;
    else result.failed++;
    result.executionIds.push(outcome.executionId);
  }
  return result;
}

/** Retries every failed delivery with an attempt matching `filter`; returns the deliveries requeued. */
export async function retryMatching(sql: Queryable, filter: LogFilter, options: { actor: string; confirmedCount: number }): Promise<string[]> {
  const outgoing: LogFilter = { ...filter, direction: "outgoing" };
  checkConfirmation(await bulkCount(sql, outgoing), options.confirmedCount);
  const rows = await sql<{ delivery_id: string }[]>`
    select distinct delivery_id from executions where ${logFilterSql(sql, outgoing)} and ${failedDelivery(sql)} limit ${MAX_BULK}`;
  return retryDeliveries(sql, rows.map((r) => r.delivery_id), options.actor);
}
