// server-only: executor. Never imported by client code (flows/nodes/registry.ts holds definitions only).
import { validationError } from "@/flows/runtime/errors";
import type { NodeExecutor } from "@/flows/runtime/types";
import { isAbsent } from "../validate/check";
import type { LookupConfig } from "./definition";

function screamingSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

const PLAIN_PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

/** The field a key expression reads when it is a plain path (`vendorGst`, `supplier.gst`), for the caller's error. */
function keyFieldName(config: LookupConfig): string {
  const key = config.key.trim();
  return PLAIN_PATH.test(key) && !key.startsWith("$") ? key : (config.keyField ?? config.target);
}

/**
 * Finds a record or master entry and keeps it in `$vars.<target>` for later nodes. A key that is
 * missing or blank is the caller's missing input, not an unknown record: with onMissing "fail" it
 * answers REQUIRED_FIELD for that field (as a validate node's required rule would), never the
 * not-found code.
 */
export const lookupExecutor: NodeExecutor<LookupConfig> = {
  compile(config, site) {
    const key = site.expression(config.key, ["config", "key"]);
    const code = config.code ?? `${screamingSnake(config.entity)}_NOT_FOUND`;
    const keyField = keyFieldName(config);
    return async (input, ctx) => {
      const value = await key.evaluate(input, ctx.bindings);
      if (isAbsent(value) && config.onMissing === "fail") {
        throw validationError([{ field: keyField, rule: "required", code: "REQUIRED_FIELD", message: `${keyField} is required` }]);
      }
      const found = isAbsent(value)
        ? null
        : await ctx.services.records.lookup(config.entity, value, { field: config.keyField, dryRun: ctx.dryRun });
      ctx.vars[config.target] = found;
      if (found === null && config.onMissing === "fail") {
        throw validationError([
          {
            field: config.keyField ?? config.target,
            rule: "lookup",
            code,
            message: config.message ?? `${config.entity} not found`,
          },
        ]);
      }
      return { output: input, note: found === null ? `no ${config.entity} found` : undefined };
    };
  },
};
