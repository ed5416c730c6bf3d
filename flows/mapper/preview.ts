/**
 * The live preview: the map node's expression evaluated on the current sample, in the browser (in a
 * Web Worker, see app/components/monaco/preview.worker.ts) or in Node for the benchmark. Flowport's
 * pure functions are registered as the engine registers them. `$lookup` of a master reads the
 * snapshot of the masters the designer loaded (preview-masters.ts); of anything else (an entity's
 * records, a master too large for the snapshot) the preview leaves it empty and says so (the dry
 * run performs it for real).
 */
import type jsonata from "jsonata";
import { createExpression, describeJsonataError, type ExpressionSyntaxError } from "@/flows/expression";
import { listLimitError } from "@/flows/functions/limits";
import { registerPureFunctions } from "@/flows/functions/pure";
import { lookupInSnapshot, type PreviewMasters } from "./preview-masters";

export type PreviewResult =
  | { ok: true; json: string; truncated: boolean; notes: string[]; evaluateMs: number }
  | { ok: false; phase: "parse" | "evaluate"; error: ExpressionSyntaxError; evaluateMs: number };

/** Results above this many characters are cut for display. */
export const PREVIEW_TEXT_LIMIT = 100_000;
export const PREVIEW_TIMEOUT_MS = 1000;

function objectLookup(input: unknown, key: string): unknown {
  if (input !== null && typeof input === "object" && !Array.isArray(input) && Object.hasOwn(input, key)) return (input as Record<string, unknown>)[key];
  return undefined;
}

export async function evaluatePreview(expression: string, sample: unknown, masters?: PreviewMasters): Promise<PreviewResult> {
  const started = performance.now();
  let expr: jsonata.Expression;
  try {
    // As the engine compiles it (linear-time regexes, the same limits), so preview and run agree.
    expr = createExpression(expression, { timeout: PREVIEW_TIMEOUT_MS });
  } catch (err) {
    return { ok: false, phase: "parse", error: describeJsonataError(expression, err), evaluateMs: performance.now() - started };
  }
  registerPureFunctions(expr);
  const notes = new Set<string>();
  expr.registerFunction("now", () => new Date().toISOString(), "<s?s?:s>");
  expr.registerFunction("millis", () => Date.now(), "<:n>");
  expr.registerFunction("lookup", (source: unknown, key: unknown, field?: unknown) => {
    if (typeof source !== "string") return objectLookup(source, String(key));
    const found = lookupInSnapshot(masters, source, key, typeof field === "string" ? field : undefined);
    if (found.loaded) return found.entry;
    notes.add(`$lookup("${source}", …) reads the ERP: it is empty in the preview; run a dry run to see it.`);
    return undefined;
  });
  try {
    const value = await expr.evaluate(sample);
    let json = value === undefined ? "(nothing: the expression gives no value)" : (JSON.stringify(value, null, 2) ?? "undefined");
    const truncated = json.length > PREVIEW_TEXT_LIMIT;
    if (truncated) json = `${json.slice(0, PREVIEW_TEXT_LIMIT)}\n…`;
    return { ok: true, json, truncated, notes: [...notes], evaluateMs: performance.now() - started };
  } catch (err) {
    // A list over the limit reads as the engine words it.
    const error = describeJsonataError(expression, err);
    const list = listLimitError(err);
    if (list) Object.assign(error, { code: list.code, message: list.message });
    return { ok: false, phase: "evaluate", error, evaluateMs: performance.now() - started };
  }
}
