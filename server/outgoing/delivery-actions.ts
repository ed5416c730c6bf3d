/**
 * What an operator (console or CLI) does to outgoing deliveries: retry failed ones (one, many, one
 * with an edited body, or all matching an Outgoing Logs filter) and discard them with a reason.
 * Each is one domain operation: the deliveries' own trail (who and when, server/outgoing/failed-queue.ts)
 * and the audit row commit together.
 */
import type { Sql } from "postgres";
import { auditAs, type Actor } from "@/server/audit/actor";
import { retryMatching } from "@/server/logs/bulk";
import type { LogFilter } from "@/server/logs/filter";
import { discardDeliveries, retryDeliveries } from "./failed-queue";

/** The name on a delivery's own trail: a user's email, the CLI's `cli:<os user>`. */
export const deliveryActorName = (actor: Actor) => (actor.kind === "user" ? actor.email : actor.name);

/** Requeues failed deliveries (or one, with `payload` sent instead of the mapped body); returns the ids requeued. */
export async function retryFailedDeliveries(sql: Sql, input: { ids: string[]; payload?: unknown }, actor: Actor): Promise<string[]> {
  return sql.begin(async (tx) => {
    const edited = input.payload !== undefined;
    const retried = await retryDeliveries(tx, input.ids, deliveryActorName(actor), edited ? { payloadOverride: input.payload } : {});
    if (edited) await auditAs(tx, actor, "delivery.edited_and_retried", input.ids.join(","), { retried: retried.length === 1 });
    else await auditAs(tx, actor, "delivery.retried", retried.join(","), { deliveries: retried });
    return retried;
  });
}

export async function discardFailedDeliveries(sql: Sql, input: { ids: string[]; reason: string }, actor: Actor): Promise<string[]> {
  return sql.begin(async (tx) => {
    const discarded = await discardDeliveries(tx, input.ids, input.reason, deliveryActorName(actor));
    await auditAs(tx, actor, "delivery.discarded", discarded.join(","), { deliveries: discarded, reason: input.reason });
    return discarded;
  });
}

/** Retries every failed delivery matching an Outgoing Logs filter, after the count was confirmed. */
export async function retryMatchingDeliveries(sql: Sql, input: { filter: LogFilter; confirmedCount: number }, actor: Actor): Promise<number> {
  return sql.begin(async (tx) => {
    const ids = await retryMatching(tx, input.filter, { actor: deliveryActorName(actor), confirmedCount: input.confirmedCount });
    await auditAs(tx, actor, "deliveries.bulk_retried", undefined, { filter: input.filter, deliveries: ids.length });
    return ids.length;
  });
}
