/** Display helpers shared by the admin screens. Dates arrive from tRPC as ISO strings. */
export function when(value: string | Date | null | undefined, none = "—"): string {
  if (!value) return none;
  const date = typeof value === "string" ? new Date(value) : value;
  return date.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
}

export function cellValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
