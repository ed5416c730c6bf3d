/** How the inspector presents the map node's config (labels, hints, pickers). Plain data: flows/ stays UI-free. */
import type { NodeInspector } from "../define";

export const mapInspector: NodeInspector = {
  editor: "mapper",
  fields: {},
};
