/** The overview dashboard's figures (server/metrics/dashboard.ts). */
import { dashboardInputSchema, getDashboard } from "@/server/metrics/dashboard";
import { guarded, router } from "../init";

export const dashboardRouter = router({
  get: guarded("logs.read")
    .input(dashboardInputSchema.optional())
    .query(({ ctx, input }) => getDashboard(ctx.sql, dashboardInputSchema.parse(input ?? {}))),
});
