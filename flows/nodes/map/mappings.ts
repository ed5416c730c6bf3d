/**
 * The visual mapper's table and the map node's JSONata are two views of one thing. The expression
 * is what runs; `mappingsToExpression` writes it from the table and `expressionToMappings` reads a
 * table back when the expression is a plain object of field paths (else the mapper shows the code).
 */
import jsonata from "jsonata";

export interface MappingRow {
  /** A JSONata path into the input, e.g. `vendorName` or `address.city`. */
  source: string;
  /** The output field; dots nest (`address.city`). */
  target: string;
  /** A JSONata function applied to the value with `~>`, e.g. `$uppercase` or `$substring(?, 0, 10)`. */
  transform?: string;
}

const SIMPLE_PATH = /^[A-Za-z_$`][\w$.`]*$/;
const SIMPLE_CALL = /^\$\w+(\(.*\))?$/s;
const IDENTIFIER = /^[A-Za-z_]\w*$/;

function valueExpression(row: MappingRow): string {
  const source = SIMPLE_PATH.test(row.source.trim()) ? row.source.trim() : `(${row.source.trim()})`;
  const transform = row.transform?.trim();
  if (!transform) return source;
  return `${source} ~> ${SIMPLE_CALL.test(transform) ? transform : `(${transform})`}`;
}

interface Tree {
  [key: string]: Tree | string;
}

function render(tree: Tree, indent: string): string {
  const inner = `${indent}  `;
  const lines = Object.entries(tree).map(
    ([key, value]) => `${inner}${JSON.stringify(key)}: ${typeof value === "string" ? value : render(value, inner)}`,
  );
  return lines.length === 0 ? "{}" : `{\n${lines.join(",\n")}\n${indent}}`;
}

export function mappingsToExpression(rows: MappingRow[]): string {
  const tree: Tree = {};
  for (const row of rows) {
    const parts = row.target.split(".");
    let node = tree;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      node = typeof next === "object" ? next : (node[part] = {});
    }
    node[parts[parts.length - 1]!] = valueExpression(row);
  }
  return render(tree, "");
}

type Ast = jsonata.ExprNode & { steps?: Ast[]; lhs?: unknown; rhs?: Ast; stages?: unknown; predicate?: unknown };

function pathText(node: Ast): string | undefined {
  if (node.type !== ("path" as Ast["type"]) || !node.steps) return undefined;
  const names: string[] = [];
  for (const step of node.steps) {
    if (step.type !== "name" || step.stages || step.predicate || typeof step.value !== "string") return undefined;
    names.push(IDENTIFIER.test(step.value) ? step.value : `\`${step.value}\``);
  }
  return names.join(".");
}

function rowFor(target: string, value: Ast): MappingRow | undefined {
  const plain = pathText(value);
  if (plain !== undefined) return { source: plain, target };
  if (value.type === ("apply" as Ast["type"]) && value.rhs?.type === "variable" && !Array.isArray(value.lhs)) {
    const source = pathText(value.lhs as Ast);
    if (source !== undefined) return { source, target, transform: `$${String(value.rhs.value)}` };
  }
  if (value.type === "function" && value.procedure?.type === "variable" && value.arguments?.length === 1) {
    const source = pathText(value.arguments[0] as Ast);
    if (source !== undefined) return { source, target, transform: `$${String(value.procedure.value)}` };
  }
  return undefined;
}

function collect(node: Ast, prefix: string, rows: MappingRow[]): boolean {
  if (node.type !== "unary" || node.value !== "{" || !Array.isArray(node.lhs)) return false;
  for (const pair of node.lhs as [Ast, Ast][]) {
    const [key, value] = pair;
    if (key.type !== "string" || typeof key.value !== "string") return false;
    const target = prefix + key.value;
    if (value.type === "unary" && value.value === "{") {
      if (!collect(value, `${target}.`, rows)) return false;
      continue;
    }
    const row = rowFor(target, value);
    if (!row) return false;
    rows.push(row);
  }
  return true;
}

/** The table behind an expression, or null when the expression is more than a table can show. */
export function expressionToMappings(expression: string): MappingRow[] | null {
  let ast: Ast;
  try {
    ast = jsonata(expression).ast() as Ast;
  } catch {
    return null;
  }
  const rows: MappingRow[] = [];
  return collect(ast, "", rows) ? rows : null;
}
