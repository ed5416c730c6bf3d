/** How the inspector presents the validate node's config (labels, hints, pickers). Plain data: flows/ stays UI-free. */
import type { NodeInspector } from "../define";

export const validateInspector: NodeInspector = {
  editor: "rules",
  fields: {},
};
