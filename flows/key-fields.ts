/**
 * A flow's key fields (issue 17): the business values an operator searches the logs by and tells
 * logged requests apart by — a vendor's GST number and name, an invoice's number. Derived from the
 * flow itself, never configured: the fields its validation rules (unique first, then lookups in
 * masters, then the others) and lookup nodes name, then the targets its map nodes copy from one
 * input field. Each key field knows the paths it may sit at in a logged body: its own name (the
 * mapped record, an outgoing payload) and the input field its mapping reads (an incoming request).
 * Shared by the log writer (server/executions/search-keys.ts) and the designer.
 */
import { capabilityOf } from "./nodes/registry";
import type { FlowFile } from "./format";
import { mappedFields } from "./mapper/model";

export interface KeyField {
  /** The field's name as the flow's record has it (GST_No). */
  name: string;
  /** Where its value may be found in a logged body, tried in order (["GST_No"], ["gstNumber"]). */
  paths: string[][];
}

/** Enough to tell rows apart and find them; every key is an index entry on every logged call. */
export const MAX_KEY_FIELDS = 8;

const RULE_ORDER: Record<string, number> = { unique: 0, exists: 1, required: 2 };

const memo = new WeakMap<FlowFile, readonly KeyField[]>();

/** The flow's key fields, most telling first (memoized per flow object: the log writer asks on every call). */
export function keyFieldsOf(flow: FlowFile): readonly KeyField[] {
  let found = memo.get(flow);
  if (!found) {
    found = deriveKeyFields(flow);
    memo.set(flow, found);
  }
  return found;
}

function deriveKeyFields(flow: FlowFile): KeyField[] {
  const named: { name: string; rank: number }[] = [];
  const sources = new Map<string, string[][]>();
  for (const node of flow.nodes) {
    // What the node's type says of its config (flows/nodes/define.ts): rules, a lookup key, a mapping.
    for (const rule of capabilityOf(node, "fieldRules") ?? []) {
      if (typeof rule.field !== "string" || rule.rule === "custom") continue;
      named.push({ name: rule.field, rank: RULE_ORDER[String(rule.rule)] ?? 3 });
    }
    const keyField = capabilityOf(node, "lookup")?.keyField;
    if (typeof keyField === "string") named.push({ name: keyField, rank: 1 });
    const expression = capabilityOf(node, "mapping");
    if (typeof expression === "string") {
      for (const field of mappedFields(expression).fields) {
        const read = field.reads.length === 1 ? field.reads[0] : undefined;
        if (!field.direct || !read) continue;
        named.push({ name: field.target, rank: 4 });
        const paths = sources.get(field.target) ?? [];
        paths.push(read.path);
        sources.set(field.target, paths);
      }
    }
  }
  const order = [...named].sort((a, b) => a.rank - b.rank);
  const fields: KeyField[] = [];
  for (const { name } of order) {
    if (fields.some((f) => f.name === name)) continue;
    const own = name.split(".");
    const paths = [own, ...(sources.get(name) ?? []).filter((p) => p.join(".") !== name)];
    fields.push({ name, paths });
    if (fields.length === MAX_KEY_FIELDS) break;
  }
  return fields;
}
