/**
 * The visual mapper's table and the map node's JSONata are two views of one thing. The expression
 * is what runs; `mappingsToExpression` writes it from the table and `expressionToMappings` reads a
 * strict table back (plain field paths and `~> $fn` only; null otherwise) for the OpenAPI contract.
 * The designer's richer reader, which keeps other values as custom rows, is flows/mapper/rows.ts.
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

const IDENTIFIER = /^[A-Za-z_]\w*$/;

/** Written by the designer's mapper module, which also reads custom rows back (flows/mapper/rows.ts). */
export { rowsToExpression as mappingsToExpression } from "@/flows/mapper/rows";

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
