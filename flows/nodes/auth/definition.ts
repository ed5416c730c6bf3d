import { z } from "zod";
import { defineNode, emptyInspection } from "../define";
import { resourceNameSchema } from "../schemas";
import { authInspector } from "./inspector";

export const INCOMING_AUTH_METHODS = ["api_key", "bearer", "signature"] as const;
export type IncomingAuthMethod = (typeof INCOMING_AUTH_METHODS)[number];

export const authConfigSchema = z.discriminatedUnion("direction", [
  z.strictObject({
    direction: z.literal("incoming"),
    /** Any one of these must succeed: `x-api-key`, `Authorization: Bearer`, Standard Webhooks signature. */
    methods: z
      .array(z.enum(INCOMING_AUTH_METHODS))
      .min(1, "choose at least one method")
      .refine((m) => new Set(m).size === m.length, "each method once"),
    /** Signatures older than this are replays. */
    toleranceSeconds: z.int().min(30).max(3600).default(300),
  }),
  z.strictObject({
    direction: z.literal("outgoing"),
    /** A stored credential, attached to the request by the send node; never shown again. */
    credential: resourceNameSchema,
  }),
]);
export type AuthConfig = z.infer<typeof authConfigSchema>;

const METHOD_LABELS: Record<IncomingAuthMethod, string> = {
  api_key: "x-api-key",
  bearer: "Bearer token",
  signature: "signature",
};

export const authDefinition = defineNode({
  type: "auth",
  label: "Authenticate",
  category: "Security",
  icon: "shield-check",
  help: "Incoming: verifies the caller's API key, bearer token or signature, scoped to this flow (401 otherwise). Outgoing: attaches a stored credential to the request.",
  trigger: false,
  directions: ["incoming", "outgoing"],
  ports: { inputs: ["in"], outputs: ["out"] },
  configSchema: authConfigSchema,
  defaults: { direction: "incoming", methods: ["api_key", "bearer"] },
  summarize: (c) =>
    c.direction === "incoming" ? c.methods.map((m) => METHOD_LABELS[m]).join(" or ") : `credential ${c.credential}`,
  inspect: (c) =>
    c.direction === "outgoing"
      ? { expressions: [], regexes: [], references: [{ kind: "credential", name: c.credential, path: ["credential"] }] }
      : emptyInspection(),
  inspector: authInspector,
  callerAuth: (c) => (c.direction === "incoming" ? { methods: c.methods, toleranceSeconds: c.toleranceSeconds } : undefined),
  configDirection: (c) => c.direction,
  initialConfig: (flow) => (flow.direction === "outgoing" ? { direction: "outgoing", credential: "" } : { direction: "incoming", methods: ["api_key", "bearer"] }),
});
