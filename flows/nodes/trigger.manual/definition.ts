import { z } from "zod";
import { defineNode } from "../define";
import { entityNameSchema } from "../schemas";
import { triggerManualInspector } from "./inspector";

export const triggerManualConfigSchema = z.strictObject({
  entity: entityNameSchema,
  /** Whether "Send to API" is offered on a selection of records, not only on one. */
  allowBulk: z.boolean().default(true),
});
export type TriggerManualConfig = z.infer<typeof triggerManualConfigSchema>;

export const triggerManualDefinition = defineNode({
  type: "trigger.manual",
  label: "Send to API",
  category: "Triggers",
  icon: "hand",
  help: 'Adds a "Send to API" action on the entity\'s records; each chosen record runs the flow as its input.',
  trigger: true,
  directions: ["outgoing"],
  ports: { inputs: [], outputs: ["out"] },
  configSchema: triggerManualConfigSchema,
  defaults: { entity: "Vendor", allowBulk: true },
  summarize: (c) => `"Send to API" on ${c.entity}${c.allowBulk ? " (bulk)" : ""}`,
  inspect: (c) => ({ expressions: [], regexes: [], references: [{ kind: "entity", name: c.entity, path: ["entity"] }] }),
  inspector: triggerManualInspector,
});
