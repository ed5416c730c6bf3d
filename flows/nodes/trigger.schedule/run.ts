// server-only: executor. Never imported by client code (flows/nodes/registry.ts holds definitions only).
import type { NodeExecutor } from "@/flows/runtime/types";
import type { TriggerScheduleConfig } from "./definition";

/**
 * The candidates are the input when it is an array (a sample, or records the job prefetched),
 * else the entity's records matching the filter; the selection expression narrows and shapes them.
 * The output is always an array.
 */
export const triggerScheduleExecutor: NodeExecutor<TriggerScheduleConfig> = {
  compile(config, site) {
    const selection = config.selection ? site.expression(config.selection, ["config", "selection"]) : undefined;
    return async (input, ctx) => {
      ctx.entity = config.entity;
      let candidates: unknown = input;
      if (!Array.isArray(input) && config.entity) {
        candidates = await ctx.services.records.list(config.entity, config.filter ?? {}, { limit: config.limit });
      }
      const selected = selection ? await selection.evaluate(candidates ?? [], ctx.bindings) : candidates;
      const list = selected === undefined || selected === null ? [] : Array.isArray(selected) ? selected : [selected];
      return { output: list.slice(0, config.limit), note: `${list.length} record${list.length === 1 ? "" : "s"} selected` };
    };
  },
};
