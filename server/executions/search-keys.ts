/**
 * The business values a log row is found by (issue 17): the values of its flow's key fields
 * (flows/key-fields.ts) in the logged request body, stored with the row at log time as
 * `search_keys` (normalized, GIN-indexed: drizzle/0017_executions_search_keys.sql) and
 * `key_values` (as sent, for display: "GST_No 27ABCDE1234F1Z5 · Vendor_Name ABC Suppliers", in the
 * order of the flow's key fields).
 * Read from the body after redaction and skipping every field a redaction would hide, so a
 * secret never becomes a search key even when a flow names it as a key field.
 */
import type { KeyField } from "@/flows/key-fields";
import { isSecretName, REDACTED } from "@/server/incoming/redact";

/** Longer values are no one's search term (and would bloat the index). */
const MAX_VALUE_LENGTH = 200;
/** A batch's items beyond this are not searchable by their values (their row still is by its ids). */
const MAX_ITEMS = 20;
const MAX_KEYS = 64;

/** The one normalization of a key, at log time and at search time: trimmed, spaces collapsed, lower case. */
export function normalizeSearchKey(value: string): string {
  return value.normalize("NFC").trim().replace(/\s+/g, " ").toLowerCase();
}

export interface KeyValue {
  field: string;
  value: string;
}

export interface SearchKeys {
  /** Normalized, distinct; null when the row has none (no index entry). */
  searchKeys: string[] | null;
  /** Each key field's first value as sent, most telling field first (a list: jsonb objects do not keep their order); null when none was found. */
  keyValues: KeyValue[] | null;
}

/**
 * The keys of a logged body. `body` must already be redacted (it is what the row stores);
 * `redactFields` are the flow's own, whose names are skipped as well.
 */
export function searchKeysOf(body: unknown, keyFields: readonly KeyField[] | undefined, redactFields?: readonly string[]): SearchKeys {
  if (!keyFields || keyFields.length === 0 || body === null || typeof body !== "object") return { searchKeys: null, keyValues: null };
  const hidden = new Set((redactFields ?? []).map((f) => f.toLowerCase()));
  const isHidden = (segment: string) => isSecretName(segment) || hidden.has(segment.toLowerCase());
  const items = Array.isArray(body) ? body.slice(0, MAX_ITEMS) : [body];
  const keys = new Set<string>();
  const values: KeyValue[] = [];
  for (const field of keyFields) {
    for (const path of field.paths) {
      if (path.some(isHidden)) continue;
      for (const item of items) {
        const text = scalarText(valueAt(item, path));
        if (text === undefined) continue;
        if (!values.some((v) => v.field === field.name)) values.push({ field: field.name, value: text });
        if (keys.size < MAX_KEYS) keys.add(normalizeSearchKey(text));
      }
    }
  }
  return { searchKeys: keys.size > 0 ? [...keys] : null, keyValues: values.length > 0 ? values : null };
}

function valueAt(value: unknown, path: string[]): unknown {
  let at = value;
  for (const segment of path) {
    if (at === null || typeof at !== "object" || Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[segment];
  }
  return at;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (text === "" || text.length > MAX_VALUE_LENGTH || text.includes(REDACTED)) return undefined;
  return text;
}
