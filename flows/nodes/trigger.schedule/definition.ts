import { z } from "zod";
import { clip, defineNode, type ConfigInspection } from "../define";
import { entityNameSchema, expressionSchema } from "../schemas";
import { cronProblem, isTimeZone } from "./cron";
import { triggerScheduleInspector } from "./inspector";

export const triggerScheduleConfigSchema = z
  .strictObject({
    cron: z.string().superRefine((value, ctx) => {
      const problem = cronProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
    timezone: z.string().refine(isTimeZone, "unknown time zone").default("Asia/Kolkata"),
    /** Records of this entity, matching `filter`, are the candidates... */
    entity: entityNameSchema.optional(),
    filter: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
    /** ...then this JSONata picks and shapes what is sent (`$[Status = "approved"]`). */
    selection: expressionSchema.optional(),
    limit: z.int().min(1).max(100_000).default(1000),
  })
  .refine((c) => c.entity !== undefined || c.selection !== undefined, {
    message: "choose an entity, a selection expression, or both",
    path: ["entity"],
  });
export type TriggerScheduleConfig = z.infer<typeof triggerScheduleConfigSchema>;

export const triggerScheduleDefinition = defineNode({
  type: "trigger.schedule",
  label: "Schedule",
  category: "Triggers",
  icon: "clock",
  help: "Runs the flow on a cron schedule with the selected records as its input (an array): the entity's records matching the filter, narrowed by the selection expression.",
  trigger: true,
  directions: ["outgoing"],
  ports: { inputs: [], outputs: ["out"] },
  configSchema: triggerScheduleConfigSchema,
  defaults: { cron: "0 2 * * *", timezone: "Asia/Kolkata", entity: "Invoice" },
  summarize: (c) =>
    `${c.cron} (${c.timezone})${c.entity ? ` · ${c.entity}` : ""}${c.selection ? ` · ${clip(c.selection, 24)}` : ""}`,
  inspect: (c) => {
    const found: ConfigInspection = { expressions: [], regexes: [], references: [] };
    if (c.selection) found.expressions.push({ path: ["selection"], text: c.selection });
    if (c.entity) {
      found.references.push({ kind: "entity", name: c.entity, path: ["entity"] });
      for (const field of Object.keys(c.filter ?? {})) {
        found.references.push({ kind: "field", entity: c.entity, name: field, path: ["filter", field] });
      }
    }
    return found;
  },
  inspector: triggerScheduleInspector,
});
