/**
 * The transform picker's choices for one mapping, over the stored row: transforms of one field
 * (trim, case, number, dates, default, lookup), and the choices that change what the value is made of
 * (a constant, a concatenation, custom JSONata). Pure, so the picker's behaviour is tested here.
 */
import { concatSource, constantSource, describeSource, rowValue, valueToRow, type MappingRow } from "./model";
import { readTransform, transformText, type TransformKind, type TransformSpec } from "./transforms";

export type RowMode = Exclude<TransformKind, "custom"> | "concat" | "constant" | "custom";

export const ROW_MODES: { mode: RowMode; label: string }[] = [
  { mode: "none", label: "As is" },
  { mode: "trim", label: "Trim" },
  { mode: "upper", label: "Upper case" },
  { mode: "lower", label: "Lower case" },
  { mode: "number", label: "Number" },
  { mode: "formatDate", label: "Format date" },
  { mode: "parseDate", label: "Read date" },
  { mode: "concat", label: "Concatenate" },
  { mode: "default", label: "Default value" },
  { mode: "lookup", label: "Lookup in master" },
  { mode: "constant", label: "Constant" },
  { mode: "custom", label: "Custom JSONata" },
];

export function rowMode(row: MappingRow): RowMode {
  const source = describeSource(row.source);
  const transform = readTransform(row.transform);
  if (source.kind === "constant" && transform.kind === "none") return "constant";
  if (source.kind === "concat" && transform.kind === "none") return "concat";
  if (source.kind !== "field") return "custom";
  return transform.kind;
}

/** The first field a row reads, to carry over when the mode changes. */
export function primaryPath(row: MappingRow): string | undefined {
  return describeSource(row.source).paths[0];
}

/** The row after picking `mode` in its picker; settings of the previous mode are dropped. */
export function applyMode(row: MappingRow, mode: RowMode): MappingRow {
  const path = primaryPath(row);
  const base = { target: row.target };
  switch (mode) {
    case "constant": {
      const source = describeSource(row.source);
      return { ...base, source: source.kind === "constant" ? row.source : constantSource("") };
    }
    case "concat":
      return { ...base, source: concatSource(path ? [{ path }, { text: " " }] : [{ text: "" }]) };
    case "custom":
      return { ...base, source: rowValue(row) };
    default: {
      const spec: TransformSpec = { kind: mode };
      if (mode === "formatDate" || mode === "parseDate") spec.picture = "DD/MM/YYYY";
      if (mode === "default") spec.fallback = '""';
      if (mode === "lookup") Object.assign(spec, { master: "City", returnField: "State" });
      const transform = transformText(spec);
      return { ...base, source: path ?? row.source, ...(transform ? { transform } : {}) };
    }
  }
}

/** The row for a custom JSONata value typed by the analyst (read back into a known form if it is one). */
export function rowFromCustomValue(target: string, value: string): MappingRow {
  return valueToRow(target, value);
}

/**
 * The row after a source field is dropped on its target: a concatenation gains the field as a new
 * part; a field with a transform keeps its transform; anything else becomes a plain mapping.
 */
export function dropSource(row: MappingRow | undefined, target: string, path: string): MappingRow {
  if (!row) return { source: path, target };
  const source = describeSource(row.source);
  if (source.kind === "concat" && !row.transform) return { ...row, source: concatSource([...source.parts!, { text: " " }, { path }]) };
  if (source.kind === "field" && row.transform) return { ...row, source: path };
  return { source: path, target };
}
