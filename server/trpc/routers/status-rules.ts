/**
 * Return status rules: the installation's defaults and each flow's overrides.
 * Defaults are installation settings (settings.manage). A flow's overrides are part of the flow and
 * take effect by publishing a new version of it, so they need flows.publish — the same right as
 * any other change to what a live endpoint answers (an analyst, who may not publish, may not
 * change them either; an admin has both).
 */
import { z } from "zod";
import { statusRulesSchema } from "@/flows/format";
import { userActor } from "@/server/audit/actor";
import { changeDefaultStatusRules, listFlowStatusRules, setFlowStatusRules } from "@/server/settings/status-rules";
import { guarded, router } from "../init";

export const statusRulesRouter = router({
  get: guarded("flows.read").query(({ ctx }) => listFlowStatusRules(ctx.sql)),

  setDefaults: guarded("settings.manage")
    .input(z.object({ rules: statusRulesSchema }))
    .mutation(({ ctx, input }) => changeDefaultStatusRules(ctx.sql, input, userActor(ctx.user))),

  setFlow: guarded("flows.publish")
    .input(z.object({ slug: z.string().min(1).max(80), rules: statusRulesSchema }))
    .mutation(({ ctx, input }) => setFlowStatusRules(ctx.sql, input, userActor(ctx.user))),
});
