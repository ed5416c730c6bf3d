// server-only: executor. Never imported by client code (flows/nodes/registry.ts holds definitions only).
import { FlowError, validationError } from "@/flows/runtime/errors";
import { isPlainObject, setRecord, type NodeExecutor } from "@/flows/runtime/types";
import type { TriggerEventConfig } from "./definition";

/** The record of the event is the flow's input and `$record`; a mismatched event is refused. */
export const triggerEventExecutor: NodeExecutor<TriggerEventConfig> = {
  compile(config) {
    return (input, ctx) => {
      const event = ctx.trigger.event;
      if (event) {
        const matches =
          event.entity === config.entity &&
          event.type === config.event &&
          (config.event !== "status_changed" || event.toStatus === config.toStatus) &&
          (config.fromStatus === undefined || event.fromStatus === config.fromStatus);
        if (!matches) {
          throw new FlowError("WORKFLOW_RULE", {
            message: `This flow starts on ${config.entity} ${config.event}${config.toStatus ? ` → ${config.toStatus}` : ""}, not on ${event.entity} ${event.type}`,
            details: { event },
          });
        }
      }
      if (!isPlainObject(input)) {
        throw validationError([{ field: "(record)", rule: "payload", code: "INVALID_PAYLOAD", message: "The event must carry the record as an object" }]);
      }
      setRecord(ctx, input, event?.recordId, config.entity);
      return { output: input };
    };
  },
};
