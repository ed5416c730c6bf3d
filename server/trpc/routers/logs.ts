/**
 * The Incoming and Outgoing Logs: pages, one execution in full, fix-and-replay, bulk actions by
 * filter, and each flow's retention. Thin: reads live in server/logs/, and every action that changes
 * something is a domain operation with its audit row (server/logs/log-actions.ts,
 * server/outgoing/delivery-actions.ts); this file checks permissions and parses input.
 */
import { z } from "zod";
import { userActor } from "@/server/audit/actor";
import { AppError } from "@/server/errors/app-error";
import { bulkCount, MAX_BULK } from "@/server/logs/bulk";
import { logFilterSchema } from "@/server/logs/filter";
import { changeRetention, logFacets, replayCall, replayMatchingCalls } from "@/server/logs/log-actions";
import { getExecution, listExecutions, MAX_PAGE_SIZE } from "@/server/logs/query";
import { listRetention, retentionDaysSchema } from "@/server/logs/retention";
import { retryMatchingDeliveries } from "@/server/outgoing/delivery-actions";
import { guarded, router } from "../init";

const uuid = z.string().uuid("not a valid execution id");
const replayTarget = z.enum(["published", "draft"]);

export const logsRouter = router({
  list: guarded("logs.read")
    .input(z.object({ filter: logFilterSchema, limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(50), cursor: z.string().nullish() }))
    .query(({ ctx, input }) => listExecutions(ctx.sql, input.filter, { limit: input.limit, cursor: input.cursor })),

  get: guarded("logs.read")
    .input(z.object({ id: uuid }))
    .query(async ({ ctx, input }) => {
      const execution = await getExecution(ctx.sql, input.id);
      if (!execution) throw new AppError("NOT_FOUND", { message: `No execution ${input.id}` });
      return execution;
    }),

  /** What the filter dropdowns offer: flows, API clients and connections that appear in the log. */
  facets: guarded("logs.read").query(({ ctx }) => logFacets(ctx.sql)),

  /** How many a bulk action on this filter would touch: shown, and confirmed, before it runs. */
  bulkCount: guarded("logs.read")
    .input(z.object({ filter: logFilterSchema }))
    .query(async ({ ctx, input }) => ({ count: await bulkCount(ctx.sql, input.filter), max: MAX_BULK })),

  replay: guarded("logs.replay")
    .input(z.object({ id: uuid, target: replayTarget, payload: z.unknown().optional(), fromNodeId: z.string().min(1).max(200).optional() }))
    .mutation(({ ctx, input }) => replayCall(ctx.sql, input, userActor(ctx.user))),

  replayMatching: guarded("logs.replay")
    .input(z.object({ filter: logFilterSchema, target: replayTarget, confirmedCount: z.number().int().min(1) }))
    .mutation(({ ctx, input }) => replayMatchingCalls(ctx.sql, input, userActor(ctx.user))),

  retryMatching: guarded("deliveries.retry")
    .input(z.object({ filter: logFilterSchema, confirmedCount: z.number().int().min(1) }))
    .mutation(async ({ ctx, input }) => ({ retried: await retryMatchingDeliveries(ctx.sql, input, userActor(ctx.user)) })),

  retention: guarded("logs.read").query(({ ctx }) => listRetention(ctx.sql)),

  setRetention: guarded("settings.manage")
    .input(z.object({ flowSlug: z.string().min(1), days: retentionDaysSchema }))
    .mutation(({ ctx, input }) => changeRetention(ctx.sql, input, userActor(ctx.user))),
});
