/**
 * The per-node trace, kept cheap enough to record on every execution: values are held by reference
 * (nodes never mutate their input) and only measured, with a walk that stops as soon as the value
 * is known to be over the limit. Only an oversized value is serialized, once, to keep a preview.
 */
import type { SerializedFlowError } from "./errors";

export const TRACE_VALUE_LIMIT = 64 * 1024;

export type TraceStatus = "success" | "error" | "skipped";

export interface TruncatedValue {
  truncated: true;
  /** Approximate JSON size in characters. */
  size: number;
  /** The first TRACE_VALUE_LIMIT characters of the JSON text. */
  preview: string;
}

export interface TraceEntry {
  nodeId: string;
  type: string;
  name: string;
  status: TraceStatus;
  input?: unknown;
  output?: unknown;
  /** Set when the input or the output was cut to a preview. */
  truncated?: true;
  durationUs: number;
  /** The output port taken ("true"/"false" for branch). */
  port?: string;
  note?: string;
  error?: SerializedFlowError;
  /** Batch mode: which item this entry belongs to. */
  item?: number;
}

/** JSON size of `value` in characters, or a number above `limit` as soon as that is certain. */
export function jsonSizeUpTo(value: unknown, limit: number): number {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    switch (typeof v) {
      case "string":
        size += v.length + 2;
        break;
      case "number":
      case "boolean":
        size += 6;
        break;
      case "object":
        if (v === null) {
          size += 4;
        } else if (Array.isArray(v)) {
          size += 2 + v.length;
          for (let i = 0; i < v.length; i++) stack.push(v[i]);
        } else {
          size += 2;
          for (const key in v) {
            if (!Object.hasOwn(v, key)) continue;
            size += key.length + 4;
            stack.push((v as Record<string, unknown>)[key]);
          }
        }
        break;
      default:
        break;
    }
    if (size > limit) return size;
  }
  return size;
}

/** The value itself when small, else a truncated preview. */
export function traceValue(value: unknown, limit = TRACE_VALUE_LIMIT): { value: unknown; truncated: boolean } {
  if (value === null || typeof value !== "object") {
    if (typeof value !== "string" || value.length <= limit) return { value, truncated: false };
  } else if (jsonSizeUpTo(value, limit) <= limit) {
    return { value, truncated: false };
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? "";
  } catch {
    text = String(value);
  }
  const preview: TruncatedValue = { truncated: true, size: text.length, preview: text.slice(0, limit) };
  return { value: preview, truncated: true };
}
