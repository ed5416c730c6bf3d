// server-only: executor. Never imported by client code (flows/nodes/registry.ts holds definitions only).
import { validationError } from "@/server/engine/errors";
import type { NodeExecutor } from "@/server/engine/types";
import { isAbsent } from "../validate/check";
import type { LookupConfig } from "./definition";

function screamingSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

/** Finds a record or master entry and keeps it in `$vars.<target>` for later nodes. */
export const lookupExecutor: NodeExecutor<LookupConfig> = {
  compile(config, site) {
    const key = site.expression(config.key, ["config", "key"]);
    const code = config.code ?? `${screamingSnake(config.entity)}_NOT_FOUND`;
    return async (input, ctx) => {
      const value = await key.evaluate(input, ctx.bindings);
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
