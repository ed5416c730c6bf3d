/** Field hints several node types share (plain data for the designer's inspector). */
import type { FieldHint } from "./define";

export const ENTITY_FIELD: FieldHint = { label: "Entity", picker: "entity", help: "The ERP record type." };
