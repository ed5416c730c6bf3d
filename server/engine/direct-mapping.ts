/**
 * The mapper's most common expression — an object whose fields are plain paths into the input,
 * `{ "Vendor_Name": vendorName, "City": address.city }` — evaluated directly instead of through
 * JSONata's evaluator, which spends most of an incoming call's engine time on it (an async
 * evaluator walking the tree, sequences, frames). The answer must be JSONata's, always:
 *  - only that exact shape is taken (string keys, each value a path of plain names: no functions,
 *    filters, variables, wildcards or operators); anything else is left to JSONata;
 *  - at run time, an input that is not a plain object, or an array met anywhere along a path
 *    (where JSONata's sequence semantics begin), hands that evaluation back to JSONata.
 * server/engine/direct-mapping.test.ts checks the two agree on generated mappings and inputs.
 */

/** The mapped object, or `undefined` when this input must go to JSONata. */
export type DirectMapping = (input: unknown) => Record<string, unknown> | undefined;

interface AstNode {
  type?: string;
  value?: unknown;
  lhs?: unknown;
  steps?: AstNode[];
  [key: string]: unknown;
}

/** Keys beyond these on a node mean something more than the plain shape (filters, stages, grouping…). */
const PLAIN_OBJECT_KEYS = new Set(["type", "value", "position", "lhs"]);
const PLAIN_PATH_KEYS = new Set(["type", "steps"]);
const PLAIN_STEP_KEYS = new Set(["type", "value", "position"]);
/** Names whose lookup rules differ between plain JS and JSONata's: left to JSONata. */
const UNSAFE_NAMES = new Set(["__proto__", "constructor", "prototype"]);

const onlyKeys = (node: AstNode, allowed: Set<string>) => Object.keys(node).every((key) => allowed.has(key));

/** The direct evaluator for `ast` (from jsonata's `expr.ast()`), when it has the plain shape. */
export function directMappingOf(ast: unknown): DirectMapping | undefined {
  const root = ast as AstNode;
  if (root?.type !== "unary" || root.value !== "{" || !Array.isArray(root.lhs) || !onlyKeys(root, PLAIN_OBJECT_KEYS)) return undefined;
  const fields: { key: string; path: string[] }[] = [];
  const seen = new Set<string>();
  for (const pair of root.lhs as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2) return undefined;
    const [keyNode, valueNode] = pair as [AstNode, AstNode];
    if (keyNode?.type !== "string" || typeof keyNode.value !== "string" || UNSAFE_NAMES.has(keyNode.value) || seen.has(keyNode.value)) return undefined;
    if (valueNode?.type !== "path" || !onlyKeys(valueNode, PLAIN_PATH_KEYS) || !Array.isArray(valueNode.steps) || valueNode.steps.length === 0) return undefined;
    const path: string[] = [];
    for (const step of valueNode.steps) {
      if (step?.type !== "name" || typeof step.value !== "string" || UNSAFE_NAMES.has(step.value) || !onlyKeys(step, PLAIN_STEP_KEYS)) return undefined;
      path.push(step.value);
    }
    seen.add(keyNode.value);
    fields.push({ key: keyNode.value, path });
  }
  return (input) => {
    if (!isPlainObject(input)) return undefined;
    const out: Record<string, unknown> = {};
    for (const { key, path } of fields) {
      let value: unknown = input;
      for (const name of path) {
        if (Array.isArray(value)) return undefined;
        if (value === null || typeof value !== "object") {
          value = undefined;
          break;
        }
        value = Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined;
      }
      if (Array.isArray(value)) return undefined;
      // JSONata leaves a field out when its path finds nothing.
      if (value !== undefined) out[key] = value;
    }
    return out;
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
