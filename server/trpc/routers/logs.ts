/**
 * The Incoming and Outgoing Logs: pages, one execution in full, fix-and-replay, bulk actions by
 * filter, and each flow's retention. Logic lives in server/logs/; this file checks permissions,
 * parses input, and writes the audit trail of every action that changes something.
 */
import { z } from "zod";
import { recordAudit } from "@/server/audit/audit-log";
import { AppError } from "@/server/errors/app-error";
import { bulkCount, MAX_BULK, replayMatching, retryMatching } from "@/server/logs/bulk";
import { logFilterSchema } from "@/server/logs/filter";
import { getExecution, listExecutions, MAX_PAGE_SIZE } from "@/server/logs/query";
import { replayExecution } from "@/server/logs/replay";
import { listRetention, retentionDaysSchema, setRetentionDays } from "@/server/logs/retention";
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
  facets: guarded("logs.read").query(async ({ ctx }) => {
    const [flows, clients, connections] = await Promise.all([
      ctx.sql<{ slug: string; direction: "incoming" | "outgoing" }[]>`select slug, direction from flows order by slug`,
      ctx.sql<{ name: string }[]>`select name from api_clients order by name`,
      ctx.sql<{ name: string }[]>`select name from connections order by name`,
    ]);
    return { flows, clients: clients.map((c) => c.name), connections: connections.map((c) => c.name) };
  }),

  /** How many a bulk action on this filter would touch: shown, and confirmed, before it runs. */
  bulkCount: guarded("logs.read")
    .input(z.object({ filter: logFilterSchema }))
    .query(async ({ ctx, input }) => ({ count: await bulkCount(ctx.sql, input.filter), max: MAX_BULK })),

  replay: guarded("logs.replay")
    .input(z.object({ id: uuid, target: replayTarget, payload: z.unknown().optional(), fromNodeId: z.string().min(1).max(200).optional() }))
    .mutation(async ({ ctx, input }) => {
      const outcome = await replayExecution(ctx.sql, input.id, {
        target: input.target,
        payload: input.payload,
        fromNodeId: input.fromNodeId,
        actor: { id: ctx.user.id, email: ctx.user.email },
      });
      await recordAudit(ctx.sql, {
        actorId: ctx.user.id,
        actorEmail: ctx.user.email,
        action: input.target === "draft" ? "execution.dry_run" : "execution.replayed",
        target: input.id,
        details: { replayId: outcome.executionId, status: outcome.status, fromNode: input.fromNodeId ?? null, payloadEdited: input.payload !== undefined },
      });
      return outcome;
    }),

  replayMatching: guarded("logs.replay")
    .input(z.object({ filter: logFilterSchema, target: replayTarget, confirmedCount: z.number().int().min(1) }))
    .mutation(async ({ ctx, input }) => {
      const result = await replayMatching(ctx.sql, input.filter, { target: input.target, confirmedCount: input.confirmedCount, actor: { id: ctx.user.id, email: ctx.user.email } });
      await recordAudit(ctx.sql, {
        actorId: ctx.user.id,
        actorEmail: ctx.user.email,
        action: input.target === "draft" ? "executions.bulk_dry_run" : "executions.bulk_replayed",
        details: { filter: input.filter, replayed: result.replayed, succeeded: result.succeeded, failed: result.failed },
      });
      return { replayed: result.replayed, succeeded: result.succeeded, failed: result.failed };
    }),

  retryMatching: guarded("deliveries.retry")
    .input(z.object({ filter: logFilterSchema, confirmedCount: z.number().int().min(1) }))
    .mutation(async ({ ctx, input }) => {
      const ids = await retryMatching(ctx.sql, input.filter, { actor: ctx.user.email, confirmedCount: input.confirmedCount });
      await recordAudit(ctx.sql, { actorId: ctx.user.id, actorEmail: ctx.user.email, action: "deliveries.bulk_retried", details: { filter: input.filter, deliveries: ids.length } });
      return { retried: ids.length };
    }),

  retention: guarded("logs.read").query(({ ctx }) => listRetention(ctx.sql)),

  setRetention: guarded("settings.manage")
    .input(z.object({ flowSlug: z.string().min(1), days: retentionDaysSchema }))
    .mutation(async ({ ctx, input }) => {
      if (!(await setRetentionDays(ctx.sql, input.flowSlug, input.days))) throw new AppError("NOT_FOUND", { message: `No flow "${input.flowSlug}"` });
      await recordAudit(ctx.sql, { actorId: ctx.user.id, actorEmail: ctx.user.email, action: "flow.retention_changed", target: input.flowSlug, details: { days: input.days } });
      return { flowSlug: input.flowSlug, days: input.days };
    }),
});
