/** How the inspector presents the lookup node's config (labels, hints, pickers). Plain data: flows/ stays UI-free. */
import type { NodeInspector } from "../define";

export const lookupInspector: NodeInspector = {
  fields: {
    entity: { label: "Entity or master", picker: "entityOrMaster", help: "Where to look the value up, e.g. City." },
    key: { label: "Key expression", expression: true, help: "JSONata over the input giving the value to find, e.g. City." },
    keyField: { label: "Match field", picker: "entityField", help: "The field compared with the key; the entity's key when empty." },
    target: { label: "Save as", help: "Later expressions read the record as $vars.<name>." },
    onMissing: { label: "When not found", help: "fail: reject with 400. continue: leave the variable null." },
    code: { label: "Error code" },
    message: { label: "Error message" },
  },
};
