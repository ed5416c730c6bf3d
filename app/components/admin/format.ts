/** Display helpers shared by the admin screens. Dates arrive from tRPC as Date objects (superjson). */
import type { FieldType } from "@/flows/erp/entities";
import { formatDateTime, type DateLike } from "@/app/lib/dates";

export function when(value: DateLike, none = "—"): string {
  return formatDateTime(value, { none });
}

/**
 * ERP amounts and quantities read with digit grouping, as Indian users write them (1,25,000.5); every
 * decimal the record holds is kept (display only: the record is unchanged).
 */
const NUMBER = new Intl.NumberFormat("en-IN", { maximumFractionDigits: 20 });

/** A record field as shown in tables and the record view; `type` is the entity field's, when known. */
export function cellValue(value: unknown, type?: FieldType): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "number" && (type === "number" || type === "integer")) return NUMBER.format(value);
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
