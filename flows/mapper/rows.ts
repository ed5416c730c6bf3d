/**
 * The visual mapper's rows and the map node's JSONata, both ways. Rows are the map node's stored
 * `mappings` (source → target with an optional transform); the expression is what runs.
 *
 * - `rowsToExpression` writes an object literal, nesting dotted targets.
 * - `expressionToRows` reads an object literal back: a pair whose value is a field, a constant, a
 *   concatenation or a field through a transform becomes an ordinary row; any other value becomes a
 *   custom row holding the value's text exactly as written. An expression that is not an object
 *   literal (a `$merge`, a block, a path) cannot be shown as rows and stays code.
 */
import jsonata from "jsonata";
import { checkExpression, type ExpressionSyntaxError } from "@/flows/expression";
import type { MappingRow } from "@/flows/nodes/map/mappings";
import { matchingBracket, objectPairs, splitTopLevel, stringLiteral, stripComments } from "./jsonata-text";

export type { MappingRow };

/** `vendorName`, `address.city`, `` `first name` ``, `$trigger.x` is not one (a variable). */
const SIMPLE_PATH = /^(?:[A-Za-z_][\w]*|`[^`]+`)(?:\.(?:[A-Za-z_][\w]*|`[^`]+`))*$/;
const SIMPLE_CALL = /^\$\w+(\(.*\))?$/s;
const TARGET_KEY = /^[A-Za-z0-9_$]+$/;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const IDENTIFIER = /^[A-Za-z_]\w*$/;

export type SourceKind = "field" | "constant" | "concat" | "expression";

export interface SourceInfo {
  kind: SourceKind;
  /** The input paths the source reads (one for a field, several for a concatenation). */
  paths: string[];
  /** constant: the literal's value. */
  value?: string | number | boolean | null;
  /** concat: the parts in order, each a path or a string literal's value. */
  parts?: { path?: string; text?: string }[];
}

export function isSimplePath(text: string): boolean {
  return SIMPLE_PATH.test(text.trim());
}

/** A JSONata path for a key sequence: `address.city`, `` `first name`.city ``. */
export function pathFromKeys(keys: string[]): string {
  return keys.map((k) => (IDENTIFIER.test(k) ? k : `\`${k.replace(/`/g, "")}\``)).join(".");
}

/** The keys of a simple path: `` a.`b c` `` → ["a", "b c"]. */
export function keysOfPath(path: string): string[] {
  return (path.trim().match(/`[^`]+`|[^.]+/g) ?? []).map((k) => k.replace(/^`|`$/g, ""));
}

function literalValue(text: string): { ok: true; value: string | number | boolean | null } | { ok: false } {
  const t = text.trim();
  const s = stringLiteral(t);
  if (s !== undefined) return { ok: true, value: s };
  if (NUMBER.test(t)) return { ok: true, value: Number(t) };
  if (t === "true" || t === "false") return { ok: true, value: t === "true" };
  if (t === "null") return { ok: true, value: null };
  return { ok: false };
}

/** What a row's source is: a field, a constant, a concatenation of fields and text, or an expression. */
export function describeSource(source: string): SourceInfo {
  const text = stripComments(source);
  const literal = literalValue(text);
  if (literal.ok) return { kind: "constant", paths: [], value: literal.value };
  if (isSimplePath(text)) return { kind: "field", paths: [text] };
  const pieces = splitTopLevel(text, "&");
  if (pieces && pieces.length > 1) {
    const parts: { path?: string; text?: string }[] = [];
    for (const piece of pieces) {
      const p = piece.trim();
      const s = stringLiteral(p);
      if (s !== undefined) parts.push({ text: s });
      else if (isSimplePath(p)) parts.push({ path: p });
      else return { kind: "expression", paths: [] };
    }
    return { kind: "concat", paths: parts.flatMap((p) => (p.path ? [p.path] : [])), parts };
  }
  return { kind: "expression", paths: [] };
}

/** The JSONata source text for a concatenation's parts. */
export function concatSource(parts: { path?: string; text?: string }[]): string {
  return parts.map((p) => (p.path !== undefined ? p.path : JSON.stringify(p.text ?? ""))).join(" & ");
}

/** The JSONata text of a constant. */
export function constantSource(value: string | number | boolean | null): string {
  return JSON.stringify(value);
}

function unwrapParens(text: string): string {
  const t = text.trim();
  if (!t.startsWith("(") || matchingBracket(t, 0) !== t.length - 1) return t;
  const inner = t.slice(1, -1).trim();
  // A block `(a; b)` keeps its parentheses: without them it is not an expression.
  const statements = splitTopLevel(inner, ";");
  return statements && statements.length === 1 ? inner : t;
}

function isLambda(text: string): boolean {
  const t = text.trim();
  const m = /^(?:function|λ)\s*\(/.exec(t);
  if (!m) return false;
  const close = matchingBracket(t, m[0].length - 1);
  const brace = t.indexOf("{", close);
  return brace > 0 && t.slice(close + 1, brace).trim() === "" && matchingBracket(t, brace) === t.length - 1;
}

function sourceText(source: string): string {
  const t = source.trim();
  return SIMPLE_PATH.test(t) || literalValue(t).ok ? t : `(${t})`;
}

function transformTextFor(transform: string): string {
  const t = transform.trim();
  return SIMPLE_CALL.test(t) || isLambda(t) ? t : `(${t})`;
}

/** The value written for one row: `source`, or `source ~> transform`. */
export function rowValue(row: MappingRow): string {
  const transform = row.transform?.trim();
  if (!transform) return row.source.trim();
  return `${sourceText(row.source)} ~> ${transformTextFor(transform)}`;
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

/** The map node's expression for a table of rows; dotted targets nest (`Address.City`). */
export function rowsToExpression(rows: MappingRow[]): string {
  const tree: Tree = {};
  for (const row of rows) {
    const parts = row.target.split(".");
    let node = tree;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      node = typeof next === "object" ? next : (node[part] = {});
    }
    node[parts[parts.length - 1]!] = rowValue(row);
  }
  return render(tree, "");
}

/** One pair's value as a row: ordinary when the mapper can show it, else a custom row. */
export function valueToRow(target: string, value: string): MappingRow {
  const text = value.trim();
  const stages = splitTopLevel(text, "~>");
  if (stages && stages.length > 1) {
    const source = unwrapParens(stages[0]!);
    const transform = unwrapParens(stages.slice(1).join("~>"));
    if (source !== "" && transform !== "") return { source, target, transform };
  }
  // `$trim(name)` or `$formatDate(d, "DD/MM/YYYY")`: a function of one field, written as a call.
  const call = /^\$(\w+)\(/.exec(text);
  if (call && matchingBracket(text, call[0].length - 1) === text.length - 1) {
    const args = splitTopLevel(text.slice(call[0].length, -1), ",")?.map((a) => a.trim());
    if (args && args.length > 0 && isSimplePath(args[0]!)) {
      const rest = args.slice(1);
      return { source: args[0]!, target, transform: rest.length === 0 ? `$${call[1]}` : `$${call[1]}(?, ${rest.join(", ")})` };
    }
  }
  return { source: unwrapParens(text), target };
}

function collectRows(text: string, prefix: string, rows: MappingRow[]): boolean {
  const pairs = objectPairs(text);
  if (!pairs) return false;
  for (const { key, value } of pairs) {
    // Keys that are not field names (spaces, dots) cannot be targets: the whole thing stays code.
    if (!TARGET_KEY.test(key)) return false;
    const target = prefix + key;
    const nested = objectPairs(value);
    if (nested && nested.length > 0) {
      if (!collectRows(value, `${target}.`, rows)) return false;
      continue;
    }
    rows.push(valueToRow(target, value));
  }
  return true;
}

export type ExpressionRows =
  | { kind: "rows"; rows: MappingRow[] }
  /** Valid JSONata, but not an object literal of fields: shown as code only. */
  | { kind: "code" }
  | { kind: "invalid"; error: ExpressionSyntaxError };

/** Reads the rows behind an expression (see the module comment). */
export function expressionToRows(expression: string): ExpressionRows {
  const checked = checkExpression(expression);
  if (!checked.ok) return { kind: "invalid", error: checked.error };
  const rows: MappingRow[] = [];
  return collectRows(expression, "", rows) ? { kind: "rows", rows } : { kind: "code" };
}

/** Whether a row's source and transform parse, with the error when not. */
export function checkRow(row: MappingRow): { ok: true } | { ok: false; part: "source" | "transform"; message: string } {
  try {
    jsonata(row.source);
  } catch (err) {
    return { ok: false, part: "source", message: (err as Error).message };
  }
  if (row.transform?.trim()) {
    try {
      jsonata(`$ ~> ${transformTextFor(row.transform)}`);
    } catch (err) {
      return { ok: false, part: "transform", message: (err as Error).message };
    }
  }
  return { ok: true };
}
