/** How the inspector presents the store node's config (labels, hints, pickers). Plain data: flows/ stays UI-free. */
import type { NodeInspector } from "../define";
import { ENTITY_FIELD } from "../inspector-fields";

export const storeInspector: NodeInspector = {
  fields: {
    entity: ENTITY_FIELD,
    mode: { label: "Mode", help: "insert: a new record (a duplicate key answers 409). upsert: update the record with the same key." },
    keyField: { label: "Key field", picker: "entityField", help: "upsert: the field that identifies the record." },
    series: { label: "Numbering series", help: "Prefix of new record ids, e.g. VEND- gives VEND-1023; the entity's own when empty." },
  },
};
