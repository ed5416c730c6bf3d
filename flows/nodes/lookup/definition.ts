import { z } from "zod";
import { clip, defineNode, type ConfigInspection } from "../define";
import { entityNameSchema, errorCodeSchema, expressionSchema, fieldPathSchema, variableNameSchema } from "../schemas";
import { lookupInspector } from "./inspector";

export const lookupConfigSchema = z.strictObject({
  /** An entity (Vendor) or a master (City). */
  entity: entityNameSchema,
  /** JSONata over the input giving the value to find, e.g. `City`. */
  key: expressionSchema,
  /** The field matched against the key; the entity's or master's key field when omitted. */
  keyField: fieldPathSchema.optional(),
  /** Where later nodes find the record: `$vars.<target>`. */
  target: variableNameSchema,
  /** fail: reject the record (400); continue: leave `$vars.<target>` null. */
  onMissing: z.enum(["fail", "continue"]).default("fail"),
  code: errorCodeSchema.optional(),
  message: z.string().min(1).max(300).optional(),
});
export type LookupConfig = z.infer<typeof lookupConfigSchema>;

export const lookupDefinition = defineNode({
  type: "lookup",
  label: "Lookup",
  category: "Transform",
  icon: "search",
  help: "Fetches an ERP record or master entry by key to enrich or check the data; later expressions read it as $vars.<target>.",
  trigger: false,
  directions: ["incoming", "outgoing"],
  ports: { inputs: ["in"], outputs: ["out"] },
  configSchema: lookupConfigSchema,
  defaults: { entity: "City", key: "City", target: "city", onMissing: "fail" },
  summarize: (c) => `${c.entity} by ${clip(c.key, 24)} → $vars.${c.target}`,
  inspect: (c) => {
    const found: ConfigInspection = {
      expressions: [{ path: ["key"], text: c.key }],
      regexes: [],
      references: [{ kind: "entityOrMaster", name: c.entity, path: ["entity"] }],
    };
    return found;
  },
  inspector: lookupInspector,
  lookup: (c) => ({ entity: c.entity, key: c.key, keyField: c.keyField, onMissing: c.onMissing, code: c.code }),
});
