import { z } from "zod";
import { mappedFields } from "@/flows/mapper/model";
import { clip, defineNode, type ConfigInspection } from "../define";
import { expressionSchema, fieldPathSchema } from "../schemas";
import { mapInspector } from "./inspector";

export const mappingRowSchema = z.strictObject({
  source: z.string().min(1),
  target: fieldPathSchema,
  transform: z.string().min(1).optional(),
});

export const mapConfigSchema = z.strictObject({
  /** What runs: a JSONata expression over the node's input. */
  expression: expressionSchema,
  /** The visual mapper's table, kept in step with the expression by the designer. */
  mappings: z.array(mappingRowSchema).optional(),
});
export type MapConfig = z.infer<typeof mapConfigSchema>;

export const mapDefinition = defineNode({
  type: "map",
  label: "Map fields",
  category: "Transform",
  icon: "arrow-right-left",
  help: "Reshapes the input with a JSONata expression, edited as code or as a source → target table with per-field transforms.",
  trigger: false,
  directions: ["incoming", "outgoing"],
  ports: { inputs: ["in"], outputs: ["out"] },
  configSchema: mapConfigSchema,
  defaults: { expression: "{\n  \n}", mappings: [] },
  // The fields the expression makes (the mapping model), not the stored table, which may lag behind it.
  summarize: (c) => {
    const targets = mappedFields(c.expression).fields.map((f) => f.target);
    return targets.length > 0 ? `${targets.length} field${targets.length === 1 ? "" : "s"} → ${clip(targets.join(", "), 40)}` : clip(c.expression);
  },
  inspect: (c) => {
    const found: ConfigInspection = { expressions: [{ path: ["expression"], text: c.expression }], regexes: [], references: [] };
    c.mappings?.forEach((row, i) => {
      found.expressions.push({ path: ["mappings", i, "source"], text: row.source });
      if (row.transform) found.expressions.push({ path: ["mappings", i, "transform"], text: row.transform });
    });
    return found;
  },
  inspector: mapInspector,
  mapping: (c) => c.expression,
});
