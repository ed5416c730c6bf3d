/** How the inspector presents the trigger.event node's config (labels, hints, pickers). Plain data: flows/ stays UI-free. */
import type { NodeInspector } from "../define";
import { ENTITY_FIELD } from "../inspector-fields";

export const triggerEventInspector: NodeInspector = {
  fields: {
    entity: ENTITY_FIELD,
    event: { label: "Event", help: "created, updated, or status changed." },
    toStatus: { label: "To status", picker: "status", help: "status_changed: the status the record moves to." },
    fromStatus: { label: "From status", picker: "status", help: "Optional: only when it moves from this status." },
  },
};
