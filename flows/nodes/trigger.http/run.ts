// server-only: executor. Never imported by client code (flows/nodes/registry.ts holds definitions only).
import { validationError } from "@/flows/runtime/errors";
import { isPlainObject, type NodeExecutor } from "@/flows/runtime/types";
import { compileFieldPath } from "../validate/check";
import type { TriggerHttpConfig } from "./definition";

function payloadError(message: string) {
  return validationError([{ field: "(body)", rule: "payload", code: "INVALID_PAYLOAD", message }]);
}

/**
 * Checks the body's shape. Single mode passes the record on; batch mode outputs the item array,
 * which the engine runs through the rest of the flow one item at a time.
 */
export const triggerHttpExecutor: NodeExecutor<TriggerHttpConfig> = {
  compile(config) {
    if (config.mode === "single") {
      return (input) => {
        if (!isPlainObject(input)) throw payloadError("The request body must be a JSON object");
        return { output: input };
      };
    }
    const itemsOf = config.itemsField ? compileFieldPath(config.itemsField) : (body: unknown) => body;
    const where = config.itemsField ? `"${config.itemsField}"` : "The request body";
    return (input) => {
      const items = itemsOf(input);
      if (!Array.isArray(items)) throw payloadError(`${where} must be a JSON array of records`);
      if (items.length === 0) throw payloadError(`${where} has no records`);
      if (items.length > config.maxItems) throw payloadError(`${where} has ${items.length} records; the limit is ${config.maxItems}`);
      return { output: items };
    };
  },
};
