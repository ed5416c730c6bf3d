/**
 * How the generated form presents each config field beyond what the JSON Schema says: a friendly
 * label and help, a picker for ERP names (entities, masters, fields, statuses, connections,
 * credentials) and code fields for JSONata. Keyed by node type and field name; everything not listed
 * falls back to the schema (enums → selects, booleans → checkboxes, the key as a sentence label).
 */
import { ENTITIES, findEntity } from "@/flows/erp/entities";

export type PickerKind = "entity" | "entityOrMaster" | "entityField" | "status" | "connection" | "credential";

export interface FieldPresentation {
  label?: string;
  help?: string;
  picker?: PickerKind;
  /** A JSONata expression: monospace, several lines. */
  expression?: boolean;
}

const ENTITY: FieldPresentation = { label: "Entity", picker: "entity", help: "The ERP record type." };

const FIELDS: Record<string, Record<string, FieldPresentation>> = {
  "trigger.http": {
    slug: { label: "Endpoint slug", help: "The last part of POST /api/v1/integration/incoming/{slug}; keep it equal to the flow's slug." },
    mode: { label: "Mode", help: "single: the body is one record. batch: an array of records, answered item by item." },
    itemsField: { label: "Items field", help: "Batch mode: the body field holding the array, e.g. punches. Leave empty when the body is the array." },
    maxItems: { label: "Maximum items", help: "Batch mode: larger batches are refused with 413." },
  },
  "trigger.event": {
    entity: ENTITY,
    event: { label: "Event", help: "created, updated, or status changed." },
    toStatus: { label: "To status", picker: "status", help: "status_changed: the status the record moves to." },
    fromStatus: { label: "From status", picker: "status", help: "Optional: only when it moves from this status." },
  },
  "trigger.manual": {
    entity: ENTITY,
    allowBulk: { label: "Allow bulk send", help: "Offer “Send to API” on a selection of records, not only on one." },
  },
  "trigger.schedule": {
    cron: { label: "Cron", help: "Five fields: minute hour day month weekday, e.g. 0 2 * * * for 02:00 daily." },
    timezone: { label: "Time zone", help: "IANA name, e.g. Asia/Kolkata." },
    entity: { ...ENTITY, help: "Records of this entity are the candidates." },
    filter: { label: "Filter", help: "Field = value pairs the records must match." },
    selection: { label: "Selection", expression: true, help: "JSONata that picks and shapes what is sent, e.g. $[Status = \"approved\"]." },
    limit: { label: "Limit", help: "At most this many records per run." },
  },
  auth: {
    direction: { label: "Direction", help: "incoming: verify the caller. outgoing: attach a stored credential." },
    methods: { label: "Accepted methods", help: "Any one of these must succeed, otherwise the caller gets 401." },
    toleranceSeconds: { label: "Signature tolerance (s)", help: "Signatures older than this are treated as replays." },
    credential: { label: "Credential", picker: "credential", help: "Stored encrypted; only its name is shown." },
  },
  lookup: {
    entity: { label: "Entity or master", picker: "entityOrMaster", help: "Where to look the value up, e.g. City." },
    key: { label: "Key expression", expression: true, help: "JSONata over the input giving the value to find, e.g. City." },
    keyField: { label: "Match field", picker: "entityField", help: "The field compared with the key; the entity's key when empty." },
    target: { label: "Save as", help: "Later expressions read the record as $vars.<name>." },
    onMissing: { label: "When not found", help: "fail: reject with 400. continue: leave the variable null." },
    code: { label: "Error code" },
    message: { label: "Error message" },
  },
  branch: {
    condition: { label: "Condition", expression: true, help: "JSONata; true runs the “true” output, anything else the “false” output." },
  },
  store: {
    entity: ENTITY,
    mode: { label: "Mode", help: "insert: a new record (a duplicate key answers 409). upsert: update the record with the same key." },
    keyField: { label: "Key field", picker: "entityField", help: "upsert: the field that identifies the record." },
    series: { label: "Numbering series", help: "Prefix of new record ids, e.g. VEND- gives VEND-1023; the entity's own when empty." },
  },
  send: {
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
  respond: {
    status: { label: "Answer", help: "Which return status rule answers the caller." },
    errorCode: { label: "Error code", help: "Required for FAILED and DUPLICATE, e.g. CREDIT_LIMIT." },
    message: { label: "Message", help: "Overrides the rule's message." },
  },
};

/** `toleranceSeconds` → `Tolerance seconds`. */
export function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[_.]+/g, " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function presentField(nodeType: string, key: string): FieldPresentation {
  return FIELDS[nodeType]?.[key] ?? {};
}

/** The names the pickers offer; connections and credentials come from the server. */
export interface PickerCatalog {
  connections?: string[];
  credentials?: string[];
}

export function pickerOptions(kind: PickerKind, config: Record<string, unknown>, catalog: PickerCatalog): string[] | undefined {
  const entity = typeof config.entity === "string" ? findEntity(config.entity) : undefined;
  switch (kind) {
    case "entity":
      return ENTITIES.filter((e) => e.kind === "record").map((e) => e.name);
    case "entityOrMaster":
      return ENTITIES.map((e) => e.name);
    case "entityField":
      return entity?.fields.map((f) => f.name);
    case "status":
      return entity?.statuses ? Object.keys(entity.statuses.transitions) : undefined;
    case "connection":
      return catalog.connections;
    case "credential":
      return catalog.credentials;
  }
}
