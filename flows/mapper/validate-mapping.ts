/**
 * Mapping validation (the seed's §3.8): static checks of every map node against its targets and the
 * current sample, each issue addressed to its node and field so the designer can point at it.
 */
import { hasType } from "@/flows/nodes/validate/check";
import { FIELD_TYPE_WORDS } from "@/flows/erp/entities";
import type { FlowFile, FlowNode } from "@/flows/format";
import { hasCapability } from "@/flows/nodes/registry";
import { mapTargets, storeEntity } from "./flow-context";
import { checkRow, describeSource, expressionToRows, type MappingRow } from "./model";
import { TRANSFORM_BY_KIND, readTransform } from "./transforms";
import { valuesAtPath } from "./sample-tree";

export type MappingIssueCode = "EXPRESSION_SYNTAX" | "ROW_SYNTAX" | "REQUIRED_TARGET_UNMAPPED" | "TYPE_MISMATCH" | "SOURCE_MISSING" | "UNKNOWN_TARGET";

export interface MappingIssue {
  nodeId: string;
  nodeName: string;
  /** The target field the issue is about, or "expression" for the whole expression. */
  field: string;
  code: MappingIssueCode;
  severity: "error" | "warning";
  message: string;
  line?: number;
  column?: number;
}

/** What a row's value would be on the sample when that can be told without running it. */
function predictedValues(row: MappingRow, sample: unknown): { known: true; values: unknown[] } | { known: false } {
  const transform = readTransform(row.transform);
  const source = describeSource(row.source);
  const base: unknown[] =
    source.kind === "field" ? valuesAtPath(sample, source.paths[0]!) : source.kind === "constant" ? [source.value] : source.kind === "concat" ? ["text"] : [];
  if (source.kind === "expression") return { known: false };
  if (transform.kind === "none") return { known: true, values: base };
  const resultType = TRANSFORM_BY_KIND[transform.kind].resultType;
  if (transform.kind === "number") return { known: true, values: base.map((v) => (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v)) };
  if (resultType === "string" && transform.kind !== "parseDate" && transform.kind !== "formatDate") return { known: true, values: base.map(String) };
  return { known: false };
}

function describe(value: unknown): string {
  if (typeof value === "string") return `the text ${JSON.stringify(value.length > 30 ? `${value.slice(0, 29)}…` : value)}`;
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

/** The issues of one map node; `sample` undefined skips the checks that need one. */
export function validateMapNode(flow: FlowFile, node: FlowNode, sample: unknown): MappingIssue[] {
  const issues: MappingIssue[] = [];
  const issue = (field: string, code: MappingIssueCode, severity: MappingIssue["severity"], message: string, extra: Partial<MappingIssue> = {}) =>
    issues.push({ nodeId: node.id, nodeName: node.name || node.id, field, code, severity, message, ...extra });
  const expression = typeof node.config.expression === "string" ? node.config.expression : "";
  const parsed = expressionToRows(expression);
  if (parsed.kind === "invalid") {
    const e = parsed.error;
    issue("expression", "EXPRESSION_SYNTAX", "error", `The expression does not parse: ${e.message} (line ${e.line}, column ${e.column})`, { line: e.line, column: e.column });
    return issues;
  }
  if (parsed.kind === "code") return issues;
  const rows = parsed.rows;
  const targets = mapTargets(flow, node.id, rows);
  const mapped = new Set(rows.map((r) => r.target));
  const entity = flow.direction === "incoming" ? storeEntity(flow, node.id) : undefined;

  for (const target of targets) {
    if (target.required && !mapped.has(target.name)) {
      issue(target.name, "REQUIRED_TARGET_UNMAPPED", "error", `${target.name} is required${entity ? ` by ${entity}` : ""} but nothing is mapped to it`);
    }
  }
  const typeOf = new Map(targets.map((t) => [t.name, t]));
  for (const row of rows) {
    const checked = checkRow(row);
    if (!checked.ok) {
      issue(row.target, "ROW_SYNTAX", "error", `The ${checked.part} of ${row.target} does not parse: ${checked.message}`);
      continue;
    }
    const target = typeOf.get(row.target);
    if (entity && target?.origin === "mapping") issue(row.target, "UNKNOWN_TARGET", "warning", `${row.target} is not a field of ${entity}`);
    if (sample === undefined) continue;
    const source = describeSource(row.source);
    const missing = source.paths.filter((p) => valuesAtPath(sample, p).length === 0);
    for (const path of missing) issue(row.target, "SOURCE_MISSING", "warning", `${path} (mapped to ${row.target}) is not in the sample`);
    if (missing.length > 0 || !target?.type) continue;
    const predicted = predictedValues(row, sample);
    if (!predicted.known) continue;
    const wrong = predicted.values.find((v) => v !== null && v !== undefined && !hasType(target.type!, v));
    if (wrong !== undefined) {
      issue(row.target, "TYPE_MISMATCH", "error", `${row.target} expects ${FIELD_TYPE_WORDS[target.type]} but ${row.source} gives ${describe(wrong)}`);
    }
  }
  return issues;
}

/** The issues of every map node in the flow. */
export function validateMappings(flow: FlowFile, sample: unknown): MappingIssue[] {
  return flow.nodes.filter((n) => hasCapability(n, "mapping")).flatMap((n) => validateMapNode(flow, n, sample));
}
