// server-only: executor. Never imported by client code (flows/nodes/registry.ts holds definitions only).
import { validationError } from "@/flows/runtime/errors";
import { isPlainObject, setRecord, type NodeExecutor } from "@/flows/runtime/types";
import type { StoreConfig } from "./definition";

/**
 * Writes the input as an ERP record through the services, which number it, enforce unique keys
 * (DUPLICATE_RECORD) and emit the entity's events in the same transaction. In a dry run the services
 * are told, and the caller rolls the transaction back.
 */
export const storeExecutor: NodeExecutor<StoreConfig> = {
  compile(config) {
    return async (input, ctx) => {
      if (!isPlainObject(input)) {
        throw validationError([{ field: "(record)", rule: "payload", code: "INVALID_PAYLOAD", message: `A ${config.entity} record must be an object` }]);
      }
      const options = { dryRun: ctx.dryRun, series: config.series, executionId: ctx.executionId, flowSlug: ctx.flow.slug };
      const stored =
        config.mode === "upsert"
          ? await ctx.services.records.upsert(config.entity, config.keyField!, input, options)
          : await ctx.services.records.insert(config.entity, input, options);
      setRecord(ctx, stored.record, stored.id, config.entity);
      return {
        output: { recordId: stored.id, created: stored.created, record: stored.record },
        note: ctx.dryRun ? "rolled back (dry run)" : undefined,
      };
    };
  },
};
