/** How the inspector presents the send node's config (labels, hints, pickers). Plain data: flows/ stays UI-free. */
import type { NodeInspector } from "../define";

export const sendInspector: NodeInspector = {
  fields: {
    connection: { label: "Connection", picker: "connection", help: "Base URL, default headers, credential and timeout from Outgoing API Settings." },
    method: { label: "Method" },
    path: { label: "Path", help: "Appended to the connection's base URL, e.g. /api/v1/receive-data." },
    headers: { label: "Extra headers", help: "Secrets belong in a credential, never here." },
    body: { label: "Body expression", expression: true, help: "JSONata over the input; the input itself when empty." },
    timeoutMs: { label: "Timeout (ms)" },
    successCondition: { label: "Success condition", expression: true, help: "JSONata over {status, headers, body}; any 2xx when empty." },
    referenceIdExpression: { label: "Reference ID", expression: true, help: "JSONata over the response body, e.g. referenceId." },
    referenceField: { label: "Write reference ID to", help: "A field of the triggering record." },
    conflictMeansDelivered: { label: "409 means already delivered" },
    retry: { label: "Retry policy", help: "Network errors, timeouts, 408, 429 and 5xx are retried." },
    maxAttempts: { label: "Attempts (first included)" },
    backoff: { label: "Backoff" },
    initialDelayMs: { label: "First delay (ms)" },
    maxDelayMs: { label: "Longest delay (ms)" },
  },
};
