/**
 * Flowport's functions, registered on every compiled expression (as Node-RED registers its own in
 * `prepareJSONataExpression`): $gstinValid, $formatDate, $parseDate, $lookup, $uuid, and $now /
 * $millis reading the execution's clock so tests and replays are deterministic.
 */
import type jsonata from "jsonata";
import { notAvailable } from "../errors";
import { scopeFrom } from "../scope";
import { callBuiltin } from "@/flows/functions/budgets";
import { registerPureFunctions } from "@/flows/functions/pure";

function nowMillis(focus: jsonata.Focus): number {
  return (scopeFrom(focus)?.now ?? new Date()).getTime();
}

/** JSONata's own `$lookup(object, key)`, kept for objects since our override takes its name. */
function objectLookup(input: unknown, key: string): unknown {
  if (Array.isArray(input)) {
    const out: unknown[] = [];
    for (const item of input) {
      const value = objectLookup(item, key);
      if (value === undefined) continue;
      if (Array.isArray(value)) out.push(...value);
      else out.push(value);
    }
    return out.length === 0 ? undefined : out.length === 1 ? out[0] : out;
  }
  if (input !== null && typeof input === "object" && Object.hasOwn(input, key)) return (input as Record<string, unknown>)[key];
  return undefined;
}

export function registerFlowportFunctions(expr: jsonata.Expression): void {
  registerPureFunctions(expr);

  expr.registerFunction("millis", function (this: jsonata.Focus) {
    return nowMillis(this);
  }, "<:n>");

  expr.registerFunction("now", function (this: jsonata.Focus, picture?: string, timeZone?: string) {
    const millis = nowMillis(this);
    if (picture === undefined && timeZone === undefined) return new Date(millis).toISOString();
    // Pictures go to JSONata's own $fromMillis (public API) so $now keeps its documented behaviour.
    return callBuiltin("fromMillis", [millis, picture, timeZone]);
  }, "<s?s?:s>");

  // $lookup(entity, key): an ERP record or master entry; $lookup(object, key) keeps JSONata's meaning.
  expr.registerFunction("lookup", async function (this: jsonata.Focus, source: unknown, key: unknown, field?: unknown) {
    if (typeof source !== "string") return objectLookup(source, String(key));
    if (key === undefined || key === null) return undefined;
    const scope = scopeFrom(this);
    if (!scope) throw notAvailable("records.lookup");
    const found = await scope.services.records.lookup(source, key, {
      field: typeof field === "string" ? field : undefined,
      dryRun: scope.dryRun,
    });
    return found ?? undefined;
  });
}
