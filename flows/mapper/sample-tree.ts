/**
 * A sample payload as the mapper's source tree and as the parse preview's table. Both are bounded so a
 * 1 MiB sample stays quick: arrays are described by their first items, and the table stops at a
 * row limit and says so.
 */
import { keysOfPath, pathFromKeys } from "./model";

export type JsonType = "string" | "number" | "boolean" | "null" | "object" | "array";

export interface FieldNode {
  /** The JSONata path that reads this field from the input (arrays map over their items). */
  path: string;
  key: string;
  type: JsonType;
  /** A short rendering of the value seen first. */
  example?: string;
  children: FieldNode[];
}

export function jsonType(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  const t = typeof value;
  return t === "string" || t === "number" || t === "boolean" ? t : "object";
}

/** A value shortened for display. */
export function preview(value: unknown, max = 60): string {
  let text: string;
  try {
    text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const ARRAY_ITEMS_SCANNED = 20;
const MAX_NODES = 2000;

/** The field tree of a sample; array items contribute the union of their first items' fields. */
export function buildFieldTree(sample: unknown): FieldNode[] {
  let budget = MAX_NODES;
  const walk = (value: unknown, keys: string[]): FieldNode[] => {
    let objects: Record<string, unknown>[] = [];
    if (Array.isArray(value)) {
      objects = value.slice(0, ARRAY_ITEMS_SCANNED).filter((v): v is Record<string, unknown> => jsonType(v) === "object");
    } else if (jsonType(value) === "object") {
      objects = [value as Record<string, unknown>];
    }
    const seen = new Map<string, unknown>();
    for (const o of objects) for (const [k, v] of Object.entries(o)) if (!seen.has(k)) seen.set(k, v);
    const nodes: FieldNode[] = [];
    for (const [key, child] of seen) {
      if (budget-- <= 0) break;
      const childKeys = [...keys, key];
      const type = jsonType(child);
      const inner = Array.isArray(child) ? child.find((x) => x !== null && x !== undefined) : child;
      nodes.push({
        path: pathFromKeys(childKeys),
        key,
        type,
        example: type === "object" ? undefined : type === "array" && jsonType(inner) === "object" ? undefined : preview(child, 40),
        children: type === "object" || type === "array" ? walk(child, childKeys) : [],
      });
    }
    return nodes;
  };
  return walk(sample, []);
}

/** Every path in a tree, depth first. */
export function treePaths(nodes: FieldNode[]): FieldNode[] {
  return nodes.flatMap((n) => [n, ...treePaths(n.children)]);
}

export interface PreviewRow {
  /** With array indexes, as a person reads it: `lines[0].qty`. */
  path: string;
  type: JsonType;
  value: string;
}

/** The parse preview: every leaf (and empty container) of the sample with its type and value. */
export function flattenSample(sample: unknown, limit = 500): { rows: PreviewRow[]; truncated: boolean } {
  const rows: PreviewRow[] = [];
  let truncated = false;
  const walk = (value: unknown, path: string) => {
    if (rows.length >= limit) {
      truncated = true;
      return;
    }
    const type = jsonType(value);
    if (type === "array" && (value as unknown[]).length > 0) {
      (value as unknown[]).forEach((item, i) => walk(item, `${path}[${i}]`));
      return;
    }
    if (type === "object" && Object.keys(value as object).length > 0) {
      for (const [k, v] of Object.entries(value as object)) walk(v, path === "" ? pathFromKeys([k]) : `${path}.${pathFromKeys([k])}`);
      return;
    }
    rows.push({ path: path || "(root)", type, value: preview(value, 120) });
  };
  walk(sample, "");
  return { rows, truncated };
}

/**
 * The values a simple path reads from a sample, JSONata-style: arrays along the way are mapped over.
 * An empty list means the path finds nothing.
 */
export function valuesAtPath(sample: unknown, path: string): unknown[] {
  let current: unknown[] = [sample];
  for (const key of keysOfPath(path)) {
    const next: unknown[] = [];
    for (const v of current) {
      const items = Array.isArray(v) ? v : [v];
      for (const item of items) {
        if (item !== null && typeof item === "object" && !Array.isArray(item) && Object.hasOwn(item, key)) {
          next.push((item as Record<string, unknown>)[key]);
        }
      }
    }
    current = next;
    if (current.length === 0) break;
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v]));
}
