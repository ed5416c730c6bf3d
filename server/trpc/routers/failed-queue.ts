/**
 * The Failed Queue (the seed's §4.6): list, retry now, edit and retry (the original stays in the
 * log), discard with a reason. Each action is recorded on the delivery (who and when) by
 * server/outgoing/failed-queue.ts and in the audit log here.
 */
import { z } from "zod";
import { recordAudit } from "@/server/audit/audit-log";
import { countFailedDeliveries, deliveryOutcomes, deliveryPayload } from "@/server/logs/failed-deliveries";
import { discardDeliveries, listFailed, retryDeliveries } from "@/server/outgoing/failed-queue";
import { guarded, router } from "../init";

const ids = z.array(z.string().uuid()).min(1, "choose at least one delivery").max(1000);

export const failedQueueRouter = router({
  list: guarded("logs.read")
    .input(z.object({ flowSlug: z.string().min(1).optional(), limit: z.number().int().min(1).max(200).default(50), cursor: z.string().uuid().nullish() }))
    .query(async ({ ctx, input }) => {
      const items = await listFailed(ctx.sql, { flowSlug: input.flowSlug, limit: input.limit + 1, after: input.cursor ? { id: input.cursor } : undefined });
      const more = items.length > input.limit;
      const page = more ? items.slice(0, input.limit) : items;
      return { items: page, nextCursor: more ? page.at(-1)!.id : null };
    }),

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
    .mutation(async ({ ctx, input }) => {
      const retried = await retryDeliveries(ctx.sql, input.ids, ctx.user.email);
      await recordAudit(ctx.sql, { actorId: ctx.user.id, actorEmail: ctx.user.email, action: "delivery.retried", target: retried.join(","), details: { deliveries: retried } });
      return { retried };
    }),

  editAndRetry: guarded("deliveries.retry")
    .input(z.object({ id: z.string().uuid(), payload: z.unknown().refine((v) => v !== undefined, "the edited payload is required") }))
    .mutation(async ({ ctx, input }) => {
      const retried = await retryDeliveries(ctx.sql, [input.id], ctx.user.email, { payloadOverride: input.payload });
      await recordAudit(ctx.sql, { actorId: ctx.user.id, actorEmail: ctx.user.email, action: "delivery.edited_and_retried", target: input.id, details: { retried: retried.length === 1 } });
      return { retried };
    }),

  discard: guarded("deliveries.retry")
    .input(z.object({ ids, reason: z.string().trim().min(1, "say why these deliveries are discarded").max(500) }))
    .mutation(async ({ ctx, input }) => {
      const discarded = await discardDeliveries(ctx.sql, input.ids, input.reason, ctx.user.email);
      await recordAudit(ctx.sql, { actorId: ctx.user.id, actorEmail: ctx.user.email, action: "delivery.discarded", target: discarded.join(","), details: { deliveries: discarded, reason: input.reason } });
      return { discarded };
    }),
});
