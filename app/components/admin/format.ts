/** Display helpers shared by the admin screens. Dates arrive from tRPC as ISO strings. */
import { formatDateTime } from "@/app/lib/dates";

export function when(value: string | Date | null | undefined, none = "—"): string {
  return formatDateTime(value, { none });
}

export function cellValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
