import { z } from "zod";
import { defineNode, type ConfigInspection } from "../define";
import { entityNameSchema, fieldPathSchema } from "../schemas";
import { storeInspector } from "./inspector";

export const storeConfigSchema = z
  .strictObject({
    entity: entityNameSchema,
    /** insert: a new record (a duplicate key answers 409); upsert: update the record with the same key. */
    mode: z.enum(["insert", "upsert"]).default("insert"),
    keyField: fieldPathSchema.optional(),
    /** Numbering series prefix for new records, e.g. VEND- gives VEND-1023; the entity's own when omitted. */
    series: z
      .string()
      .regex(/^[A-Z0-9][A-Z0-9/_-]{0,19}$/, "upper-case letters, digits, / _ -")
      .optional(),
  })
  .refine((c) => c.mode !== "upsert" || c.keyField !== undefined, {
    message: "upsert needs the key field that identifies the record",
    path: ["keyField"],
  });
export type StoreConfig = z.infer<typeof storeConfigSchema>;

export const storeDefinition = defineNode({
  type: "store",
  label: "Save record",
  category: "Actions",
  icon: "database",
  help: "Inserts or upserts the input as an ERP record, numbering new records from the series and emitting the entity's events. Dry runs roll it back.",
  trigger: false,
  directions: ["incoming", "outgoing"],
  ports: { inputs: ["in"], outputs: ["out"] },
  configSchema: storeConfigSchema,
  defaults: { entity: "Vendor", mode: "insert" },
  summarize: (c) =>
    c.mode === "upsert"
      ? `upsert ${c.entity} by ${c.keyField ?? "?"}`
      : `insert ${c.entity}${c.series ? ` (${c.series}…)` : ""}`,
  inspect: (c) => {
    const found: ConfigInspection = {
      expressions: [],
      regexes: [],
      references: [{ kind: "entity", name: c.entity, path: ["entity"] }],
    };
    if (c.keyField) found.references.push({ kind: "field", entity: c.entity, name: c.keyField, path: ["keyField"] });
    return found;
  },
  inspector: storeInspector,
  recordWrite: (c) => ({ entity: c.entity, mode: c.mode, series: c.series }),
});
