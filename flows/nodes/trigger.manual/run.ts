// server-only: executor. Never imported by client code (flows/nodes/registry.ts holds definitions only).
import { validationError } from "@/flows/runtime/errors";
import { isPlainObject, setRecord, type NodeExecutor } from "@/flows/runtime/types";
import type { TriggerManualConfig } from "./definition";

/** "Send to API" on one record: the record is the flow's input and `$record`. */
export const triggerManualExecutor: NodeExecutor<TriggerManualConfig> = {
  compile(config) {
    return (input, ctx) => {
      if (!isPlainObject(input)) {
        throw validationError([{ field: "(record)", rule: "payload", code: "INVALID_PAYLOAD", message: "Send to API needs one record as an object" }]);
      }
      setRecord(ctx, input, ctx.trigger.event?.recordId, config.entity);
      return { output: input };
    };
  },
};
