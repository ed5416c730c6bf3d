/**
 * What surrounds a map node in its flow, as the mapper needs it: the fields it can map to (the store
 * node's entity for incoming flows, the outgoing parameters for outgoing ones), the fields it reads
 * when the sample is an ERP record, and the next validate node's rules per field.
 */
import { findEntity, type FieldType } from "@/flows/erp/entities";
import type { FlowFile, FlowNode } from "@/flows/format";
import { hasCapability, isTrigger } from "@/flows/nodes/registry";
import { summarizeRule, type ValidationRule } from "@/flows/nodes/validate/rules";
import type { MappingRow } from "./model";
import { buildFieldTree, type FieldNode } from "./sample-tree";

export interface TargetField {
  name: string;
  label?: string;
  type?: FieldType;
  required: boolean;
  /** Where the field is known from: the entity, the validate node's rules, or only the mapping itself. */
  origin: "entity" | "validate" | "mapping" | "expected";
}

function nodesAfter(flow: FlowFile, nodeId: string): FlowNode[] {
  const byId = new Map(flow.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>([nodeId]);
  const order: FlowNode[] = [];
  let frontier = [nodeId];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const edge of flow.edges) {
        if (edge.source !== id || seen.has(edge.target)) continue;
        seen.add(edge.target);
        const node = byId.get(edge.target);
        if (node) order.push(node);
        next.push(edge.target);
      }
    }
    frontier = next;
  }
  return order;
}

function nodesBefore(flow: FlowFile, nodeId: string): FlowNode[] {
  const reversed: FlowFile = { ...flow, edges: flow.edges.map((e) => ({ source: e.target, target: e.source })) };
  return nodesAfter(reversed, nodeId);
}

/** The first validate node after the map node (before another map reshapes the record). */
export function nextValidateNode(flow: FlowFile, nodeId: string): FlowNode | undefined {
  for (const node of nodesAfter(flow, nodeId)) {
    if (hasCapability(node, "fieldRules")) return node;
    if (hasCapability(node, "mapping")) return undefined;
  }
  return undefined;
}

export function validateRules(node: FlowNode | undefined): ValidationRule[] {
  const rules = node?.config.rules;
  return Array.isArray(rules) ? (rules as ValidationRule[]).filter((r) => r && typeof r.field === "string" && typeof r.rule === "string") : [];
}

/** The next validate node's rules grouped by field, with one-line summaries for the table. */
export function rulesByField(flow: FlowFile, nodeId: string): { validateNodeId?: string; byField: Map<string, { rule: ValidationRule; summary: string }[]> } {
  const node = nextValidateNode(flow, nodeId);
  const byField = new Map<string, { rule: ValidationRule; summary: string }[]>();
  for (const rule of validateRules(node)) {
    const list = byField.get(rule.field) ?? [];
    list.push({ rule, summary: summarizeRule(rule).replace(`${rule.field}: `, "") });
    byField.set(rule.field, list);
  }
  return { validateNodeId: node?.id, byField };
}

/** The entity the store node after the map writes, if any. */
export function storeEntity(flow: FlowFile, nodeId: string): string | undefined {
  // Read as it stands (mid-edit), not only when the whole config is valid.
  const store = nodesAfter(flow, nodeId).find((n) => hasCapability(n, "recordWrite"));
  return typeof store?.config.entity === "string" ? store.config.entity : undefined;
}

/** The entity whose records start an outgoing flow (event, manual or schedule trigger). */
export function triggerEntity(flow: FlowFile, nodeId: string): string | undefined {
  const trigger = nodesBefore(flow, nodeId).find(isTrigger);
  return typeof trigger?.config.entity === "string" ? trigger.config.entity : undefined;
}

const VALUE_TYPE_TO_FIELD: Record<string, FieldType> = {
  string: "string",
  number: "number",
  integer: "integer",
  boolean: "boolean",
  date: "date",
  datetime: "datetime",
};

/**
 * The fields a map node writes into. Incoming: the store's entity fields (type and required from the
 * entity). Outgoing: the parameters the next validate node checks, those the samples expect the
 * request to carry, and any already mapped.
 */
export function mapTargets(flow: FlowFile, nodeId: string, rows: MappingRow[] = []): TargetField[] {
  const targets = new Map<string, TargetField>();
  const add = (field: TargetField) => {
    const known = targets.get(field.name);
    if (!known) targets.set(field.name, field);
    else targets.set(field.name, { ...known, type: known.type ?? field.type, required: known.required || field.required });
  };
  if (flow.direction === "incoming") {
    const entity = findEntity(storeEntity(flow, nodeId) ?? "");
    for (const f of entity?.fields ?? []) add({ name: f.name, label: f.label, type: f.type, required: f.required ?? false, origin: "entity" });
  }
  for (const rule of validateRules(nextValidateNode(flow, nodeId))) {
    add({
      name: rule.field,
      type: rule.rule === "type" ? VALUE_TYPE_TO_FIELD[rule.type] : undefined,
      required: rule.rule === "required",
      origin: "validate",
    });
  }
  if (flow.direction === "outgoing") {
    for (const sample of flow.samples) {
      const request = sample.expect?.request;
      if (request && typeof request === "object" && !Array.isArray(request)) {
        for (const key of Object.keys(request)) add({ name: key, required: false, origin: "expected" });
      }
    }
  }
  for (const row of rows) add({ name: row.target, required: false, origin: "mapping" });
  return [...targets.values()];
}

/**
 * The fields a map node reads: the sample's tree, and for outgoing flows also the trigger entity's
 * fields (typed), so an analyst can map before having a sample.
 */
export function sourceFields(flow: FlowFile, nodeId: string, sample: unknown): FieldNode[] {
  const tree = sample === undefined ? [] : buildFieldTree(sample);
  if (flow.direction !== "outgoing") return tree;
  const entity = findEntity(triggerEntity(flow, nodeId) ?? "");
  const known = new Set(tree.map((n) => n.key));
  const extra: FieldNode[] = (entity?.fields ?? [])
    .filter((f) => !known.has(f.name))
    .map((f) => ({ path: f.name, key: f.name, type: f.type === "boolean" ? "boolean" : f.type === "number" || f.type === "integer" ? "number" : "string", children: [] }));
  return [...tree, ...extra];
}
