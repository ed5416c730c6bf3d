/**
 * The one mapping model: a map node's JSONata expression read as rows (target ← source, optional
 * transform) and rows written back as an expression. Everything that needs to know what a map
 * expression maps — the visual mapper, the engine's direct evaluation of plain field mappings and the
 * OpenAPI request schema — asks this module, so they cannot disagree.
 *
 * Structure comes from JSONata's own parser (`jsonata(expr).ast()`). The AST carries only the end
 * position of each token, so a value's text is cut from the expression between its pair's `:` and the
 * first `,` or closing bracket after its last token where the cut parses: rows keep what the analyst
 * typed, and a changed row rewrites only its own text (`rowsToExpression(rows, previous)`).
 *
 * - A pair whose value is a field, a constant, a concatenation or a field through a transform (`~>`
 *   or a call of one field) is an ordinary row; any other value is a custom row holding its text.
 * - An expression that is not an object literal with string keys (a `$merge`, a block, a path) cannot
 *   be shown as rows and stays code.
 */
import jsonata from "jsonata";
import { checkExpression, type ExpressionSyntaxError } from "@/flows/expression";

export interface MappingRow {
  /** A JSONata expression over the input, usually a path such as `vendorName` or `address.city`. */
  source: string;
  /** The output field; dots nest (`address.city`). */
  target: string;
  /** A JSONata function applied to the value with `~>`, e.g. `$uppercase` or `$substring(?, 0, 10)`. */
  transform?: string;
}

interface Ast {
  type?: string;
  value?: unknown;
  position?: number;
  lhs?: unknown;
  rhs?: Ast;
  steps?: Ast[];
  arguments?: Ast[];
  procedure?: Ast;
  expressions?: Ast[];
  [key: string]: unknown;
}

const TARGET_KEY = /^[A-Za-z0-9_$]+$/;
const IDENTIFIER = /^[A-Za-z_]\w*$/;
const CLOSERS = new Set([")", "]", "}"]);
/** Keys beyond these mean more than the plain shape (filters, stages, grouping, `[]`…). */
const PLAIN_OBJECT_KEYS = new Set(["type", "value", "position", "lhs"]);
const PLAIN_PATH_KEYS = new Set(["type", "steps"]);
const PLAIN_STEP_KEYS = new Set(["type", "value", "position"]);

const onlyKeys = (node: Ast, allowed: Set<string>) => Object.keys(node).every((key) => allowed.has(key));

function parse(text: string): Ast | undefined {
  try {
    return jsonata(text).ast() as unknown as Ast;
  } catch {
    return undefined;
  }
}

/** The keys of a path of plain names (`a.b`, `` `first name` ``), or undefined for anything else. */
function fieldKeys(node: Ast | undefined): string[] | undefined {
  if (node?.type !== "path" || !onlyKeys(node, PLAIN_PATH_KEYS) || !Array.isArray(node.steps) || node.steps.length === 0) return undefined;
  const keys: string[] = [];
  for (const step of node.steps) {
    if (step?.type !== "name" || typeof step.value !== "string" || !onlyKeys(step, PLAIN_STEP_KEYS)) return undefined;
    keys.push(step.value);
  }
  return keys;
}

/** Whether a node is an object constructor `{ "k": v, … }` with nothing after it (no filter, no stage). */
function isObjectLiteral(node: Ast | undefined): node is Ast & { lhs: [Ast, Ast][] } {
  return node?.type === "unary" && node.value === "{" && Array.isArray(node.lhs) && onlyKeys(node, PLAIN_OBJECT_KEYS);
}

/** The end of the node's last token: the largest position in its subtree. */
function lastPosition(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((max: number, child) => Math.max(max, lastPosition(child)), -1);
  if (!node || typeof node !== "object") return -1;
  let max = typeof (node as Ast).position === "number" ? (node as Ast).position! : -1;
  for (const [key, child] of Object.entries(node)) if (key !== "position") max = Math.max(max, lastPosition(child));
  return max;
}

/** Index after the comment starting at `i` (`/* … *\/`), or `i` when none starts there. */
function skipComment(text: string, i: number): number {
  if (!text.startsWith("/*", i)) return i;
  const end = text.indexOf("*/", i + 2);
  return end < 0 ? text.length : end + 2;
}

/**
 * Where the value starting at `start` ends: the first `,` or closing bracket at or after `from` (the
 * end of its last token) up to which the text parses. Only closing brackets, spaces and comments can
 * sit between a value's last token and its separator, so this is exact.
 */
function valueEnd(text: string, start: number, from: number): number {
  for (let i = from; i < text.length; i++) {
    const next = skipComment(text, i);
    if (next !== i) {
      i = next - 1;
      continue;
    }
    const c = text[i]!;
    if ((c === "," || CLOSERS.has(c)) && parse(text.slice(start, i)) !== undefined) return i;
  }
  return text.length;
}

/** Index after the `:` that follows a key ending at `from`. */
function afterColon(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const next = skipComment(text, i);
    if (next !== i) i = next - 1;
    else if (text[i] === ":") return i + 1;
  }
  return text.length;
}

/** The text without comments and surrounding whitespace (strings and `names` kept as written). */
export function stripComments(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === "`") {
      let end = i + 1;
      while (end < text.length && text[end] !== c) end += text[end] === "\\" ? 2 : 1;
      out += text.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    const next = skipComment(text, i);
    if (next !== i) i = next;
    else {
      out += c;
      i++;
    }
  }
  return out.trim();
}

/** A JSON or single-quoted JSONata string literal's value, or undefined when `text` is not one. */
export function stringLiteral(text: string): string | undefined {
  const ast = parse(text);
  return ast?.type === "string" && typeof ast.value === "string" ? ast.value : undefined;
}

/** A JSONata path for a key sequence: `address.city`, `` `first name`.city ``. */
export function pathFromKeys(keys: string[]): string {
  return keys.map((k) => (IDENTIFIER.test(k) ? k : `\`${k.replace(/`/g, "")}\``)).join(".");
}

/** The keys of a simple path: `` a.`b c` `` → ["a", "b c"]. */
export function keysOfPath(path: string): string[] {
  return (path.trim().match(/`[^`]+`|[^.]+/g) ?? []).map((k) => k.replace(/^`|`$/g, ""));
}

/** `vendorName`, `address.city`, `` `first name` ``; `$trigger.x` is not one (a variable). */
export function isSimplePath(text: string): boolean {
  return fieldKeys(parse(stripComments(text))) !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Sources and transforms of one row
// ---------------------------------------------------------------------------------------------

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

function literalOf(node: Ast | undefined): { ok: true; value: string | number | boolean | null } | { ok: false } {
  if (node?.type === "string" || node?.type === "number") return { ok: true, value: node.value as string | number };
  if (node?.type === "value" && (typeof node.value === "boolean" || node.value === null)) return { ok: true, value: node.value };
  return { ok: false };
}

function concatLeaves(node: Ast): Ast[] {
  return node.type === "binary" && node.value === "&" ? [...concatLeaves(node.lhs as Ast), ...concatLeaves(node.rhs!)] : [node];
}

/** What a row's source is: a field, a constant, a concatenation of fields and text, or an expression. */
export function describeSource(source: string): SourceInfo {
  const text = stripComments(source);
  const ast = parse(text);
  if (!ast) return { kind: "expression", paths: [] };
  const literal = literalOf(ast);
  if (literal.ok) return { kind: "constant", paths: [], value: literal.value };
  if (fieldKeys(ast)) return { kind: "field", paths: [text] };
  if (ast.type === "binary" && ast.value === "&") {
    const parts: { path?: string; text?: string }[] = [];
    for (const leaf of concatLeaves(ast)) {
      const keys = fieldKeys(leaf);
      if (leaf.type === "string") parts.push({ text: leaf.value as string });
      else if (keys) parts.push({ path: pathFromKeys(keys) });
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

/** `(x)` → `x`; a block of several statements `(a; b)` keeps its parentheses. */
function unwrapParens(text: string): string {
  const t = text.trim();
  const ast = parse(t);
  return ast?.type === "block" && ast.expressions?.length === 1 && t.startsWith("(") && t.endsWith(")") ? t.slice(1, -1).trim() : t;
}

function sourceText(source: string): string {
  const t = source.trim();
  const ast = parse(t);
  return fieldKeys(ast) || literalOf(ast).ok ? t : `(${t})`;
}

const BARE_TRANSFORMS = new Set(["variable", "function", "partial", "lambda"]);

function transformTextFor(transform: string): string {
  const t = transform.trim();
  return BARE_TRANSFORMS.has(parse(t)?.type ?? "") ? t : `(${t})`;
}

/** The value written for one row: `source`, or `source ~> transform`. */
export function rowValue(row: MappingRow): string {
  const transform = row.transform?.trim();
  if (!transform) return row.source.trim();
  return `${sourceText(row.source)} ~> ${transformTextFor(transform)}`;
}

/** One pair's value as a row: ordinary when the mapper can show it, else a custom row. */
export function valueToRow(target: string, value: string): MappingRow {
  const text = stripComments(value);
  const ast = parse(text);
  if (ast?.type === "apply") {
    // `a ~> $f ~> $g` is ((a ~> $f) ~> $g): the leftmost `~>` separates the source from the chain.
    let first = ast;
    while ((first.lhs as Ast | undefined)?.type === "apply") first = first.lhs as Ast;
    const operator = first.position! - 2;
    const source = unwrapParens(text.slice(0, operator));
    const transform = unwrapParens(text.slice(operator + 2));
    if (source !== "" && transform !== "") return { source, target, transform };
  }
  // `$trim(name)` or `$formatDate(d, "DD/MM/YYYY")`: a function of one field, written as a call.
  if (ast?.type === "function" && ast.procedure?.type === "variable" && ast.arguments?.length && fieldKeys(ast.arguments[0])) {
    const open = ast.position!;
    const argumentEnd = valueEnd(text, open, lastPosition(ast.arguments[0]));
    const source = text.slice(open, argumentEnd).trim();
    const rest = ast.arguments.length > 1 ? text.slice(argumentEnd + 1, text.length - 1).trim() : "";
    const name = `$${String(ast.procedure.value)}`;
    return { source, target, transform: rest === "" ? name : `${name}(?, ${rest})` };
  }
  return { source: unwrapParens(text), target };
}

// ---------------------------------------------------------------------------------------------
// Expression ⇄ rows
// ---------------------------------------------------------------------------------------------

/** A row with where its value sits in the expression's text (`[start, end)`, trimmed). */
interface PlacedRow {
  row: MappingRow;
  value: Ast;
  start: number;
  end: number;
}

function placeRows(text: string, node: Ast & { lhs: [Ast, Ast][] }, prefix: string, out: PlacedRow[]): boolean {
  for (const [key, value] of node.lhs) {
    // Keys that are not field names (spaces, dots, computed keys) cannot be targets: the whole thing stays code.
    if (key?.type !== "string" || typeof key.value !== "string" || !TARGET_KEY.test(key.value)) return false;
    const target = prefix + key.value;
    if (isObjectLiteral(value) && value.lhs.length > 0) {
      if (!placeRows(text, value, `${target}.`, out)) return false;
      continue;
    }
    const colon = afterColon(text, key.position!);
    const end = valueEnd(text, colon, lastPosition(value));
    const raw = text.slice(colon, end);
    const start = colon + (raw.length - raw.trimStart().length);
    out.push({ row: valueToRow(target, raw), value, start, end: start + raw.trim().length });
  }
  return true;
}

function placedRowsOf(expression: string): PlacedRow[] | undefined {
  const ast = parse(expression);
  if (!isObjectLiteral(ast)) return undefined;
  const placed: PlacedRow[] = [];
  return placeRows(expression, ast, "", placed) ? placed : undefined;
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
  const placed = placedRowsOf(expression);
  return placed ? { kind: "rows", rows: placed.map((p) => p.row) } : { kind: "code" };
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

const sameRow = (a: MappingRow, b: MappingRow) => a.target === b.target && a.source === b.source && (a.transform ?? "") === (b.transform ?? "");

/**
 * The map node's expression for a table of rows; dotted targets nest (`Address.City`). Given the
 * `previous` expression with the same targets in the same order, only the values of changed rows are
 * rewritten, so the analyst's layout and comments around the others stay as typed.
 */
export function rowsToExpression(rows: MappingRow[], previous?: string): string {
  const placed = previous === undefined ? undefined : placedRowsOf(previous);
  if (previous !== undefined && placed && placed.length === rows.length && placed.every((p, i) => p.row.target === rows[i]!.target)) {
    let text = previous;
    for (let i = rows.length - 1; i >= 0; i--) {
      const { row, start, end } = placed[i]!;
      if (!sameRow(row, rows[i]!)) text = text.slice(0, start) + rowValue(rows[i]!) + text.slice(end);
    }
    return text;
  }
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

// ---------------------------------------------------------------------------------------------
// What the expression reads, for the engine and the API contract
// ---------------------------------------------------------------------------------------------

/**
 * The fields of a plain field mapping `{ "Vendor_Name": vendorName, "City": address.city }` (string
 * keys, each value a path of plain names: no functions, filters, variables, wildcards, operators or
 * nesting), or undefined for any other expression. The engine evaluates exactly this shape directly.
 */
export function plainFieldMapping(ast: unknown): { key: string; path: string[] }[] | undefined {
  const root = ast as Ast | undefined;
  if (!isObjectLiteral(root)) return undefined;
  const fields: { key: string; path: string[] }[] = [];
  for (const pair of root.lhs as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2) return undefined;
    const [key, value] = pair as [Ast, Ast];
    const path = fieldKeys(value);
    if (key?.type !== "string" || typeof key.value !== "string" || !path) return undefined;
    fields.push({ key: key.value, path });
  }
  return fields;
}

/** An input field an expression reads: from the current item, or from the whole body (`$trigger.x`). */
export interface FieldRead {
  path: string[];
  scope: "item" | "body";
}

/**
 * The input paths read by an AST: `a.b` from the item, `$trigger.a.b` from the body. Steps after the
 * first of a path, predicates and stages are relative to that path, and `$variables` are not input,
 * so neither is a field.
 */
function collectReads(node: unknown, found: Map<string, FieldRead>): void {
  if (Array.isArray(node)) {
    for (const child of node) collectReads(child, found);
    return;
  }
  if (!node || typeof node !== "object") return;
  const n = node as Ast;
  if (n.type === "path" && Array.isArray(n.steps) && n.steps.length > 0) {
    const [first, ...rest] = n.steps;
    const root = first!.type === "variable" && (first!.value === "trigger" || first!.value === "") ? first!.value : undefined;
    const names: string[] = [];
    for (const step of root === undefined ? n.steps : rest) {
      if (step.type !== "name" || typeof step.value !== "string") break;
      names.push(step.value);
      if (!onlyKeys(step, PLAIN_STEP_KEYS)) break;
    }
    if (names.length > 0) {
      const scope = root === "trigger" ? "body" : "item";
      found.set(`${scope}:${names.join(".")}`, { path: names, scope });
    } else if (root === undefined) collectReads(first, found);
    return;
  }
  for (const [key, value] of Object.entries(n)) if (key !== "position") collectReads(value, found);
}

/** One output field of a map expression: what it reads and whether it copies one field unchanged. */
export interface MappedField {
  target: string;
  reads: FieldRead[];
  /** The value is one input field, unchanged: its type and rules are the target's. */
  direct: boolean;
  /** The row's transform (or "an expression") when not direct. */
  transform?: string;
}

/**
 * What a map expression runs, field by field, plus every input path it reads (`reads`, including
 * those of an expression that is not an object of fields). Empty for an expression that does not parse.
 */
export function mappedFields(expression: string): { fields: MappedField[]; reads: FieldRead[] } {
  const ast = parse(expression);
  if (!ast) return { fields: [], reads: [] };
  const all = new Map<string, FieldRead>();
  collectReads(ast, all);
  const placed = placedRowsOf(expression) ?? [];
  const fields = placed.map(({ row, value }): MappedField => {
    const found = new Map<string, FieldRead>();
    collectReads(value, found);
    const reads = [...found.values()];
    const direct = !row.transform && fieldKeys(value) !== undefined;
    return { target: row.target, reads, direct, ...(direct ? {} : { transform: row.transform?.trim() || "an expression" }) };
  });
  return { fields, reads: [...all.values()] };
}
