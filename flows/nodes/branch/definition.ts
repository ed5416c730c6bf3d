import { z } from "zod";
import { clip, defineNode } from "../define";
import { expressionSchema } from "../schemas";
import { branchInspector } from "./inspector";

export const branchConfigSchema = z.strictObject({
  /** JSONata over the input; JSONata's truthiness decides (empty string, 0, empty array are false). */
  condition: expressionSchema,
});
export type BranchConfig = z.infer<typeof branchConfigSchema>;

export const branchDefinition = defineNode({
  type: "branch",
  label: "Branch",
  category: "Validate",
  icon: "git-branch",
  help: 'Sends the input down the "true" or the "false" output depending on a JSONata condition; only the taken path runs.',
  trigger: false,
  directions: ["incoming", "outgoing"],
  ports: { inputs: ["in"], outputs: ["true", "false"] },
  configSchema: branchConfigSchema,
  defaults: { condition: "true" },
  summarize: (c) => `if ${clip(c.condition)}`,
  inspect: (c) => ({ expressions: [{ path: ["condition"], text: c.condition }], regexes: [], references: [] }),
  inspector: branchInspector,
});
