/** How the inspector presents the trigger.http node's config (labels, hints, pickers). Plain data: flows/ stays UI-free. */
import type { NodeInspector } from "../define";

export const triggerHttpInspector: NodeInspector = {
  fields: {
    slug: { label: "Endpoint slug", help: "The last part of POST /api/v1/integration/incoming/{slug}; keep it equal to the flow's slug." },
    mode: { label: "Mode", help: "single: the body is one record. batch: an array of records, answered item by item." },
    itemsField: { label: "Items field", help: "Batch mode: the body field holding the array, e.g. punches. Leave empty when the body is the array." },
    maxItems: { label: "Maximum items", help: "Batch mode: larger batches are refused with 413." },
  },
};
