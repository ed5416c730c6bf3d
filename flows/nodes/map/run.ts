// server-only: executor. Never imported by client code (flows/nodes/registry.ts holds definitions only).
import type { NodeExecutor } from "@/flows/runtime/types";
import type { MapConfig } from "./definition";

/** The expression's result is the output; the mapper's table is only its visual twin. */
export const mapExecutor: NodeExecutor<MapConfig> = {
  compile(config, site) {
    const expression = site.expression(config.expression, ["config", "expression"]);
    return async (input, ctx) => ({ output: await expression.evaluate(input, ctx.bindings) });
  },
};
