import { z } from "zod";
import { defineNode } from "../define";
import { entityNameSchema } from "../schemas";
import { triggerEventInspector } from "./inspector";

export const ENTITY_EVENTS = ["created", "updated", "status_changed"] as const;

export const triggerEventConfigSchema = z
  .strictObject({
    entity: entityNameSchema,
    event: z.enum(ENTITY_EVENTS),
    /** status_changed: the status the record moved to (e.g. approved). */
    toStatus: z.string().min(1).optional(),
    /** status_changed: only when it moved from this status. */
    fromStatus: z.string().min(1).optional(),
  })
  .refine((c) => c.event !== "status_changed" || c.toStatus !== undefined, {
    message: "status_changed needs the status the record moves to",
    path: ["toStatus"],
  });
export type TriggerEventConfig = z.infer<typeof triggerEventConfigSchema>;

export const triggerEventDefinition = defineNode({
  type: "trigger.event",
  label: "ERP event",
  category: "Triggers",
  icon: "zap",
  help: "Starts the flow when an ERP record is created, updated or moves to a status (invoice approved, vendor created, GRN posted). The record is the flow's input.",
  trigger: true,
  directions: ["outgoing"],
  ports: { inputs: [], outputs: ["out"] },
  configSchema: triggerEventConfigSchema,
  defaults: { entity: "Invoice", event: "status_changed", toStatus: "approved" },
  summarize: (c) =>
    c.event === "status_changed"
      ? `${c.entity} status${c.fromStatus ? ` ${c.fromStatus}` : ""} → ${c.toStatus ?? "?"}`
      : `${c.entity} ${c.event}`,
  inspect: (c) => ({ expressions: [], regexes: [], references: [{ kind: "entity", name: c.entity, path: ["entity"] }] }),
  inspector: triggerEventInspector,
});
