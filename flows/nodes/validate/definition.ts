import { z } from "zod";
import { defineNode, type ConfigInspection } from "../define";
import { validationRuleSchema } from "./rules";
import { validateInspector } from "./inspector";

export const validateConfigSchema = z.strictObject({
  /** Every rule is checked; the answer lists every failure, not only the first. */
  rules: z.array(validationRuleSchema),
});
export type ValidateConfig = z.infer<typeof validateConfigSchema>;

export const validateDefinition = defineNode({
  type: "validate",
  label: "Validate",
  category: "Validate",
  icon: "list-checks",
  help: "Checks each field against its rules (required, type, pattern, formats such as GSTIN, unique in an entity, exists in a master, custom conditions). Any failure rejects the record with every error listed; a duplicate answers 409.",
  trigger: false,
  directions: ["incoming", "outgoing"],
  ports: { inputs: ["in"], outputs: ["out"] },
  configSchema: validateConfigSchema,
  defaults: { rules: [] },
  summarize: (c) => {
    const fields = [...new Set(c.rules.map((r) => r.field))];
    return `${c.rules.length} rule${c.rules.length === 1 ? "" : "s"} on ${fields.length} field${fields.length === 1 ? "" : "s"}`;
  },
  inspect: (c) => {
    const found: ConfigInspection = { expressions: [], regexes: [], references: [] };
    c.rules.forEach((rule, i) => {
      if (rule.rule === "regex") found.regexes.push({ path: ["rules", i, "pattern"], pattern: rule.pattern, flags: rule.flags });
      if (rule.rule === "custom") found.expressions.push({ path: ["rules", i, "condition"], text: rule.condition });
      if (rule.rule === "unique") {
        found.references.push({ kind: "entity", name: rule.entity, path: ["rules", i, "entity"] });
        found.references.push({
          kind: "field",
          entity: rule.entity,
          name: rule.entityField ?? rule.field,
          path: ["rules", i, rule.entityField ? "entityField" : "field"],
        });
      }
      if (rule.rule === "exists") found.references.push({ kind: "master", name: rule.master, path: ["rules", i, "master"] });
    });
    return found;
  },
  inspector: validateInspector,
  fieldRules: (c) => c.rules,
});
