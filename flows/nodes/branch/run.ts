// server-only: executor. Never imported by client code (flows/nodes/registry.ts holds definitions only).
import { jsonataBoolean } from "@/flows/runtime/expression";
import type { NodeExecutor } from "@/flows/runtime/types";
import type { BranchConfig } from "./definition";

/** Passes the input on through "true" or "false"; the engine skips the other side. */
export const branchExecutor: NodeExecutor<BranchConfig> = {
  compile(config, site) {
    const condition = site.expression(config.condition, ["config", "condition"]);
    return async (input, ctx) => {
      const taken = jsonataBoolean(await condition.evaluate(input, ctx.bindings));
      return { output: input, port: taken ? "true" : "false" };
    };
  },
};
