/**
 * The mapper's most common expression — an object whose fields are plain paths into the input,
 * `{ "Vendor_Name": vendorName, "City": address.city }` — evaluated directly instead of through
 * JSONata's evaluator, which spends most of an incoming call's engine time on it (an async
 * evaluator walking the tree, sequences, frames). The answer must be JSONata's, always:
 *  - only that exact shape is taken, as the mapping model reads it (flows/mapper/model.ts
 *    `plainFieldMapping`), with unique keys and no prototype names; anything else is left to JSONata;
 *  - at run time, an input that is not a plain object, or an array met anywhere along a path
 *    (where JSONata's sequence semantics begin), hands that evaluation back to JSONata.
 * server/engine/direct-mapping.test.ts checks the two agree on generated mappings and inputs.
 */
import { plainFieldMapping } from "@/flows/mapper/model";

/** The mapped object, or `undefined` when this input must go to JSONata. */
export type DirectMapping = (input: unknown) => Record<string, unknown> | undefined;

/** Names whose lookup rules differ between plain JS and JSONata's: left to JSONata. */
const UNSAFE_NAMES = new Set(["__proto__", "constructor", "prototype"]);

/** The direct evaluator for `ast` (from jsonata's `expr.ast()`), when the mapping model calls it a plain field mapping. */
export function directMappingOf(ast: unknown): DirectMapping | undefined {
  const fields = plainFieldMapping(ast);
  if (!fields) return undefined;
  const keys = new Set(fields.map((f) => f.key));
  if (keys.size !== fields.length || fields.some((f) => UNSAFE_NAMES.has(f.key) || f.path.some((name) => UNSAFE_NAMES.has(name)))) return undefined;
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
