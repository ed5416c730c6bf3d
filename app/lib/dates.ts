/**
 * How the console writes a point in time: one format everywhere ("29 Nov 2026, 14:05", with
 * seconds where they matter, as in logs). A fixed locale, so a server render and the browser
 * agree and every screen reads the same; the day before the month is unambiguous to readers of
 * either convention. Dates come from tRPC as Date objects (superjson), so nothing here parses text.
 */
export type DateLike = Date | null | undefined;

const minutes = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });
const seconds = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium" });

export function formatDateTime(value: DateLike, options: { seconds?: boolean; none?: string } = {}): string {
  if (value === null || value === undefined || Number.isNaN(value.getTime())) return options.none ?? "—";
  return (options.seconds ? seconds : minutes).format(value);
}
