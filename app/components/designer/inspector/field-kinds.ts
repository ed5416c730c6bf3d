/**
 * How the generated form presents each config field beyond what the JSON Schema says: a friendly
 * label and help, a picker for ERP names (entities, masters, fields, statuses, connections,
 * credentials) and code fields for JSONata, as each node type declares them in its folder
 * (`inspector.fields`, read through the registry); everything not listed falls back to the schema
 * (enums → selects, booleans → checkboxes, the key as a sentence label).
 */
import { ENTITIES, findEntity } from "@/flows/erp/entities";
import type { FieldHint, PickerKind } from "@/flows/nodes/define";
import { getNodeDefinition } from "@/flows/nodes/registry";

/** `toleranceSeconds` → `Tolerance seconds`. */
export function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[_.]+/g, " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Each node type declares its own labels and hints (flows/nodes/<type>/inspector.ts). */
export function presentField(nodeType: string, key: string): FieldHint {
  return getNodeDefinition(nodeType)?.inspector.fields[key] ?? {};
}

/** The names the pickers offer; connections and credentials come from the server. */
export interface PickerCatalog {
  connections?: string[];
  credentials?: string[];
}

export function pickerOptions(kind: PickerKind, config: Record<string, unknown>, catalog: PickerCatalog): string[] | undefined {
  const entity = typeof config.entity === "string" ? findEntity(config.entity) : undefined;
  switch (kind) {
    case "entity":
      return ENTITIES.filter((e) => e.kind === "record").map((e) => e.name);
    case "entityOrMaster":
      return ENTITIES.map((e) => e.name);
    case "entityField":
      return entity?.fields.map((f) => f.name);
    case "status":
      return entity?.statuses ? Object.keys(entity.statuses.transitions) : undefined;
    case "connection":
      return catalog.connections;
    case "credential":
      return catalog.credentials;
  }
}
