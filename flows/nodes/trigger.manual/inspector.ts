/** How the inspector presents the trigger.manual node's config (labels, hints, pickers). Plain data: flows/ stays UI-free. */
import type { NodeInspector } from "../define";
import { ENTITY_FIELD } from "../inspector-fields";

export const triggerManualInspector: NodeInspector = {
  fields: {
    entity: ENTITY_FIELD,
    allowBulk: { label: "Allow bulk send", help: "Offer “Send to API” on a selection of records, not only on one." },
  },
};
