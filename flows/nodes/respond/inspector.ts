/** How the inspector presents the respond node's config (labels, hints, pickers). Plain data: flows/ stays UI-free. */
import type { NodeInspector } from "../define";

export const respondInspector: NodeInspector = {
  fields: {
    status: { label: "Answer", help: "Which return status rule answers the caller." },
    errorCode: { label: "Error code", help: "Required for FAILED and DUPLICATE, e.g. CREDIT_LIMIT." },
    message: { label: "Message", help: "Overrides the rule's message." },
  },
};
