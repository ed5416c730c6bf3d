/** How the inspector presents the branch node's config (labels, hints, pickers). Plain data: flows/ stays UI-free. */
import type { NodeInspector } from "../define";

export const branchInspector: NodeInspector = {
  fields: {
    condition: { label: "Condition", expression: true, help: "JSONata; true runs the “true” output, anything else the “false” output." },
  },
};
