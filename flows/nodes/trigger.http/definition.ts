import { z } from "zod";
import { slugSchema } from "../../format";
import { defineNode, emptyInspection } from "../define";
import { fieldPathSchema } from "../schemas";
import { triggerHttpInspector } from "./inspector";

export const triggerHttpConfigSchema = z.strictObject({
  /** The endpoint: POST /api/v1/integration/incoming/{slug}. */
  slug: slugSchema,
  method: z.literal("POST").default("POST"),
  /** single: the body is one record; batch: an array of records, answered per item. */
  mode: z.enum(["single", "batch"]).default("single"),
  /** Batch mode: the body field holding the array (e.g. `punches`); the body itself when omitted. */
  itemsField: fieldPathSchema.optional(),
  maxItems: z.int().min(1).max(10_000).default(1000),
});
export type TriggerHttpConfig = z.infer<typeof triggerHttpConfigSchema>;

export const triggerHttpDefinition = defineNode({
  type: "trigger.http",
  label: "HTTP endpoint",
  category: "Triggers",
  icon: "webhook",
  help: "Starts the flow when an external system POSTs JSON to the generated endpoint. Batch mode takes an array and answers per item.",
  trigger: true,
  directions: ["incoming"],
  ports: { inputs: [], outputs: ["out"] },
  configSchema: triggerHttpConfigSchema,
  defaults: { slug: "new-endpoint", method: "POST", mode: "single" },
  summarize: (c) => `POST …/incoming/${c.slug}${c.mode === "batch" ? ` · batch${c.itemsField ? ` of ${c.itemsField}` : ""}` : ""}`,
  inspect: () => emptyInspection(),
  inspector: triggerHttpInspector,
  endpoint: {
    slug: (c) => c.slug,
    batch: (c) => c.mode === "batch",
    withSlug: (c, slug) => ({ ...c, slug }),
  },
  initialConfig: (flow) => ({ slug: flow.slug, method: "POST", mode: "single" }),
});
