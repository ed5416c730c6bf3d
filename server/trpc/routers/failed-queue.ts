/**
 * The Failed Queue (the seed's §4.6): list, retry now, edit and retry (the original stays in the
 * log), discard with a reason. Thin: each action is a domain operation (server/outgoing/delivery-actions.ts)
 * that records it on the delivery (who and when) and in the audit log, in one transaction.
 */
import { z } from "zod";
import { userActor } from "@/server/audit/actor";
import { countFailedDeliveries, deliveryOutcomes, deliveryPayload } from "@/server/logs/failed-deliveries";
import { acknowledgeAlert, listOpenAlerts } from "@/server/outgoing/alerts";
import { discardFailedDeliveries, retryFailedDeliveries } from "@/server/outgoing/delivery-actions";
import { pageFailed } from "@/server/outgoing/failed-queue";
import { guarded, router } from "../init";

const ids = z.array(z.string().uuid()).min(1, "choose at least one delivery").max(1000);

export const failedQueueRouter = router({
  list: guarded("logs.read")
    .input(z.object({ flowSlug: z.string().min(1).optional(), limit: z.number().int().min(1).max(200).default(50), cursor: z.string().uuid().nullish() }))
    .query(({ ctx, input }) => pageFailed(ctx.sql, input)),

  /** Operations alerts not yet acknowledged (server/outgoing/alerts.ts): the navigation's notice. */
  alerts: guarded("logs.read").query(({ ctx }) => listOpenAlerts(ctx.sql)),

  acknowledgeAlert: guarded("deliveries.retry")
    .input(z.object({ id: z.int().min(1) }))
    .mutation(({ ctx, input }) => acknowledgeAlert(ctx.sql, input, userActor(ctx.user))),

  /** The navigation badge. */
  count: guarded("logs.read").query(async ({ ctx }) => ({ count: await countFailedDeliveries(ctx.sql) })),

  /** Where deliveries stand after a retry or discard: the page's result message follows them until they settle. */
  outcomes: guarded("logs.read")
    .input(z.object({ ids }))
    .query(({ ctx, input }) => deliveryOutcomes(ctx.sql, input.ids)),

  payload: guarded("logs.read")
    .input(z.object({ id: z.string().uuid() }))
    .query(({ ctx, input }) => deliveryPayload(ctx.sql, input.id)),

  retry: guarded("deliveries.retry")
    .input(z.object({ ids }))
    .mutation(async ({ ctx, input }) => ({ retried: await retryFailedDeliveries(ctx.sql, { ids: input.ids }, userActor(ctx.user)) })),

  editAndRetry: guarded("deliveries.retry")
    .input(z.object({ id: z.string().uuid(), payload: z.unknown().refine((v) => v !== undefined, "the edited payload is required") }))
    .mutation(async ({ ctx, input }) => ({ retried: await retryFailedDeliveries(ctx.sql, { ids: [input.id], payload: input.payload }, userActor(ctx.user)) })),

  discard: guarded("deliveries.retry")
    .input(z.object({ ids, reason: z.string().trim().min(1, "say why these deliveries are discarded").max(500) }))
    .mutation(async ({ ctx, input }) => ({ discarded: await discardFailedDeliveries(ctx.sql, input, userActor(ctx.user)) })),
});
