import { z } from "zod";
import { defineNode, emptyInspection } from "../define";
import { errorCodeSchema } from "../schemas";
import { respondInspector } from "./inspector";

export const respondConfigSchema = z
  .strictObject({
    /** Which return status rule answers; FAILED and DUPLICATE let a branch reject with its own code. */
    status: z.enum(["SUCCESS", "FAILED", "DUPLICATE"]).default("SUCCESS"),
    errorCode: errorCodeSchema.optional(),
    /** Overrides the rule's message. */
    message: z.string().min(1).max(300).optional(),
  })
  .refine((c) => c.status === "SUCCESS" || c.errorCode !== undefined, {
    message: "a rejecting answer needs an error code",
    path: ["errorCode"],
  });
export type RespondConfig = z.infer<typeof respondConfigSchema>;

export const respondDefinition = defineNode({
  type: "respond",
  label: "Respond",
  category: "Respond",
  icon: "reply",
  help: 'Answers the caller from the flow\'s return status rules: 200 {"status":"success","recordId":…} or a rejection with an error code.',
  trigger: false,
  directions: ["incoming"],
  ports: { inputs: ["in"], outputs: [] },
  configSchema: respondConfigSchema,
  defaults: { status: "SUCCESS" },
  summarize: (c) => (c.status === "SUCCESS" ? "success" : `${c.status.toLowerCase()} ${c.errorCode ?? ""}`.trim()),
  inspect: () => emptyInspection(),
  inspector: respondInspector,
  answer: (c) => ({ status: c.status, errorCode: c.errorCode, message: c.message }),
});
