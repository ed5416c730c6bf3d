/** How the inspector presents the trigger.schedule node's config (labels, hints, pickers). Plain data: flows/ stays UI-free. */
import type { NodeInspector } from "../define";
import { ENTITY_FIELD } from "../inspector-fields";

export const triggerScheduleInspector: NodeInspector = {
  fields: {
    cron: { label: "Cron", help: "Five fields: minute hour day month weekday, e.g. 0 2 * * * for 02:00 daily." },
    timezone: { label: "Time zone", help: "IANA name, e.g. Asia/Kolkata." },
    entity: { ...ENTITY_FIELD, help: "Records of this entity are the candidates." },
    filter: { label: "Filter", help: "Field = value pairs the records must match." },
    selection: { label: "Selection", expression: true, help: "JSONata that picks and shapes what is sent, e.g. $[Status = \"approved\"]." },
    limit: { label: "Limit", help: "At most this many records per run." },
  },
};
