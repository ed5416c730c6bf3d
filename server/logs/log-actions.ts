/**
 * What an operator does from the Logs: replay a call (live or as a dry run on the draft), replay
 * everything matching a filter, set a flow's retention. Each is one domain operation with its
 * audit row. A replay commits its own execution (and record) first — a live replay that fails
 * keeps nothing of its run but its log row (./replay.ts) — and the audit row follows it.
 */
import type { Sql } from "postgres";
import { auditAs, type Actor, type UserActor } from "@/server/audit/actor";
import type { Queryable } from "@/server/db/queryable";
import { AppError } from "@/server/errors/app-error";
import { replayMatching } from "./bulk";
import type { LogFilter } from "./filter";
import { replayExecution, type ReplayTarget } from "./replay";
import { setRetentionDays } from "./retention";

export async function replayCall(sql: Sql, input: { id: string; target: ReplayTarget; payload?: unknown; fromNodeId?: string }, actor: UserActor) {
  const outcome = await replayExecution(sql, input.id, {
    target: input.target,
    payload: input.payload,
    fromNodeId: input.fromNodeId,
    actor: { id: actor.id, email: actor.email },
  });
  await auditAs(sql, actor, input.target === "draft" ? "execution.dry_run" : "execution.replayed", input.id, {
    replayId: outcome.executionId,
    status: outcome.status,
    fromNode: input.fromNodeId ?? null,
    payloadEdited: input.payload !== undefined,
  });
  return outcome;
}

export async function replayMatchingCalls(sql: Sql, input: { filter: LogFilter; target: ReplayTarget; confirmedCount: number }, actor: UserActor) {
  const result = await replayMatching(sql, input.filter, { target: input.target, confirmedCount: input.confirmedCount, actor: { id: actor.id, email: actor.email } });
  await auditAs(sql, actor, input.target === "draft" ? "executions.bulk_dry_run" : "executions.bulk_replayed", undefined, {
    filter: input.filter,
    replayed: result.replayed,
    succeeded: result.succeeded,
    failed: result.failed,
  });
  return { replayed: result.replayed, succeeded: result.succeeded, failed: result.failed };
}

export async function changeRetention(sql: Sql, input: { flowSlug: string; days: number }, actor: Actor): Promise<{ flowSlug: string; days: number }> {
  return sql.begin(async (tx) => {
    if (!(await setRetentionDays(tx, input.flowSlug, input.days))) throw new AppError("NOT_FOUND", { message: `No flow "${input.flowSlug}"` });
    await auditAs(tx, actor, "flow.retention_changed", input.flowSlug, { days: input.days });
    return { flowSlug: input.flowSlug, days: input.days };
  });
}

/** What the filter dropdowns offer: flows, API clients and connections that appear in the log. */
export async function logFacets(sql: Queryable) {
  const [flows, clients, connections] = await Promise.all([
    sql<{ slug: string; direction: "incoming" | "outgoing" }[]>`select slug, direction from flows order by slug`,
    sql<{ name: string }[]>`select name from api_clients order by name`,
    sql<{ name: string }[]>`select name from connections order by name`,
  ]);
  return { flows: [...flows], clients: clients.map((c) => c.name), connections: connections.map((c) => c.name) };
}
