/**
 * The transforms an analyst picks per mapping. Each is stored as a JSONata function applied to the
 * source value with `~>` (the map node's `mappings[].transform`), in one canonical text per kind so
 * the picker can read it back; any other function text is a custom transform, kept as written.
 */
import { stringLiteral, stripComments } from "./model";

export type TransformKind = "none" | "trim" | "upper" | "lower" | "number" | "formatDate" | "parseDate" | "default" | "lookup" | "custom";

export interface TransformSpec {
  kind: TransformKind;
  /** formatDate / parseDate: the date picture, e.g. DD/MM/YYYY. */
  picture?: string;
  /** default: the value used when the source is missing or blank (JSONata literal text, e.g. "N/A" or 0). */
  fallback?: string;
  /** lookup: the master, the master's field matched (its key when omitted) and the field returned. */
  master?: string;
  matchField?: string;
  returnField?: string;
  /** custom: the function text as written. */
  text?: string;
}

export interface TransformInfo {
  kind: TransformKind;
  label: string;
  help: string;
  /** The JSONata type of the result when known (for type checks against the target). */
  resultType?: "string" | "number";
}

export const TRANSFORMS: readonly TransformInfo[] = [
  { kind: "none", label: "As is", help: "The source value, unchanged." },
  { kind: "trim", label: "Trim", help: "Removes leading and trailing spaces and collapses inner runs of spaces.", resultType: "string" },
  { kind: "upper", label: "Upper case", help: "ABC SUPPLIERS", resultType: "string" },
  { kind: "lower", label: "Lower case", help: "abc suppliers", resultType: "string" },
  { kind: "number", label: "Number", help: 'Reads a number from text: "85000" → 85000.', resultType: "number" },
  { kind: "formatDate", label: "Format date", help: "Writes an ISO date with a picture, e.g. 2025-12-12 → 12/12/2025.", resultType: "string" },
  { kind: "parseDate", label: "Read date", help: "Reads a date written with a picture into ISO form, e.g. 12/12/2025 → 2025-12-12.", resultType: "string" },
  { kind: "default", label: "Default value", help: "Uses a fallback when the source is missing or blank." },
  { kind: "lookup", label: "Lookup in master", help: "Finds the master entry for the value and takes one of its fields." },
  { kind: "custom", label: "Custom JSONata", help: "Any JSONata function of the value, e.g. $substring(?, 0, 10)." },
];

export const TRANSFORM_BY_KIND: Record<TransformKind, TransformInfo> = Object.fromEntries(TRANSFORMS.map((t) => [t.kind, t])) as Record<
  TransformKind,
  TransformInfo
>;

const SIMPLE_FUNCTIONS: Partial<Record<TransformKind, string>> = {
  trim: "$trim",
  upper: "$uppercase",
  lower: "$lowercase",
  number: "$number",
};

const quote = (s: string) => JSON.stringify(s);
const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const STRING = String.raw`("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')`;

/** The canonical JSONata text of a transform; undefined for "none". */
export function transformText(spec: TransformSpec): string | undefined {
  switch (spec.kind) {
    case "none":
      return undefined;
    case "trim":
    case "upper":
    case "lower":
    case "number":
      return SIMPLE_FUNCTIONS[spec.kind];
    case "formatDate":
      return `$formatDate(?, ${quote(spec.picture || "DD/MM/YYYY")})`;
    case "parseDate":
      return `$parseDate(?, ${quote(spec.picture || "DD/MM/YYYY")})`;
    case "default":
      return `function($v) { $v ?: ${spec.fallback?.trim() || '""'} }`;
    case "lookup": {
      const match = spec.matchField ? `, ${quote(spec.matchField)}` : "";
      const field = spec.returnField && NAME.test(spec.returnField) ? spec.returnField : `\`${spec.returnField || "Name"}\``;
      return `function($v) { $lookup(${quote(spec.master || "City")}, $v${match}).${field} }`;
    }
    case "custom":
      return spec.text?.trim() || undefined;
  }
}

const PATTERNS: { kind: TransformKind; re: RegExp; read: (m: RegExpExecArray) => Omit<TransformSpec, "kind"> }[] = [
  { kind: "formatDate", re: new RegExp(String.raw`^\$formatDate\(\s*\?\s*,\s*${STRING}\s*\)$`), read: (m) => ({ picture: stringLiteral(m[1]!) }) },
  { kind: "parseDate", re: new RegExp(String.raw`^\$parseDate\(\s*\?\s*,\s*${STRING}\s*\)$`), read: (m) => ({ picture: stringLiteral(m[1]!) }) },
  {
    kind: "default",
    re: /^function\s*\(\s*\$v\s*\)\s*\{\s*\$v\s*\?:\s*(.+?)\s*\}$/s,
    read: (m) => ({ fallback: m[1]!.trim() }),
  },
  {
    kind: "lookup",
    re: new RegExp(String.raw`^function\s*\(\s*\$v\s*\)\s*\{\s*\$lookup\(\s*${STRING}\s*,\s*\$v\s*(?:,\s*${STRING}\s*)?\)\.([A-Za-z][A-Za-z0-9_]*|\x60[^\x60]+\x60)\s*\}$`, "s"),
    read: (m) => ({ master: stringLiteral(m[1]!), matchField: m[2] ? stringLiteral(m[2]) : undefined, returnField: m[3]!.replace(/`/g, "") }),
  },
];

/** What a transform's text means to the picker: one of the catalogue's kinds, or custom. */
export function readTransform(text: string | undefined): TransformSpec {
  const t = text === undefined ? "" : stripComments(text);
  if (t === "") return { kind: "none" };
  for (const [kind, fn] of Object.entries(SIMPLE_FUNCTIONS)) if (t === fn) return { kind: kind as TransformKind };
  for (const p of PATTERNS) {
    const m = p.re.exec(t);
    if (m) {
      const spec = { kind: p.kind, ...p.read(m) };
      // Strip keys the pattern left undefined so specs compare equal.
      return Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)) as unknown as TransformSpec;
    }
  }
  return { kind: "custom", text: text!.trim() };
}

/** A one-line description for lists and the table view. */
export function describeTransform(spec: TransformSpec): string {
  switch (spec.kind) {
    case "formatDate":
    case "parseDate":
      return `${TRANSFORM_BY_KIND[spec.kind].label} ${spec.picture ?? ""}`.trim();
    case "default":
      return `Default ${spec.fallback ?? '""'}`;
    case "lookup":
      return `Lookup ${spec.master ?? "?"}.${spec.returnField ?? "?"}`;
    case "custom":
      return spec.text ?? "Custom";
    default:
      return TRANSFORM_BY_KIND[spec.kind].label;
  }
}
