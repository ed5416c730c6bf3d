/** Display helpers shared by the log, Failed Queue and dashboard screens. Dates arrive from tRPC as Date objects (superjson). */
import { formatDateTime, type DateLike } from "@/app/lib/dates";

/** A log's time: to the second. */
export function formatTime(value: DateLike): string {
  return formatDateTime(value, { seconds: true });
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** CSS modifier for an execution or delivery status. */
export function statusTone(status: string | null | undefined): "ok" | "warn" | "bad" | "neutral" {
  switch (status) {
    case "SUCCESS":
    case "succeeded":
      return "ok";
    case "DUPLICATE":
    case "pending":
    case "delivering":
      return "warn";
    case "FAILED":
    case "ERROR":
    case "failed":
      return "bad";
    default:
      return "neutral";
  }
}

export function toJsonText(value: unknown): string {
  if (value === undefined) return "";
  return JSON.stringify(value, null, 2) ?? "";
}

/** Parses editor text; an error says where, for the form. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (text.trim() === "") return { ok: false, error: "Empty: write the JSON to send." };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${(error as Error).message}` };
  }
}

/** A datetime-local input's value for a Date, and back (local time). */
export function toLocalInput(value: Date | undefined): string {
  if (!value) return "";
  const offset = value.getTimezoneOffset() * 60_000;
  return new Date(value.getTime() - offset).toISOString().slice(0, 16);
}

export function fromLocalInput(value: string): Date | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
