/**
 * A retry schedule as people write it: "5s, 5m, 30m, 2h" (the delays before the 2nd, 3rd, …
 * attempt; the last repeats). Pure and client-safe: the CLI, the Connections page and the server's
 * connection action read and print schedules through these two functions, so they agree.
 */

/** The limits of the send node's own `retry.scheduleMs` (flows/nodes/send/definition.ts). */
export const MAX_SCHEDULE_DELAYS = 20;
export const MAX_SCHEDULE_DELAY_MS = 86_400_000;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

export type RetryScheduleParse = { ok: true; scheduleMs: number[] } | { ok: false; message: string };

/** Parses "5s, 5m, 30m, 2h" (commas or spaces between delays; units ms, s, m, h) into milliseconds. */
export function parseRetrySchedule(text: string): RetryScheduleParse {
  const parts = text
    .split(/[,\s]+/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (parts.length === 0) return { ok: false, message: "Retry schedule: give at least one delay, like 5s, 5m, 30m, 2h" };
  if (parts.length > MAX_SCHEDULE_DELAYS) return { ok: false, message: `Retry schedule: at most ${MAX_SCHEDULE_DELAYS} delays (the last one repeats)` };
  const scheduleMs: number[] = [];
  for (const part of parts) {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/i.exec(part);
    if (!match) return { ok: false, message: `Retry schedule: '${part}' is not a duration like 5s, 10m or 2h` };
    const ms = Math.round(Number(match[1]) * UNIT_MS[match[2]!.toLowerCase()]!);
    if (ms > MAX_SCHEDULE_DELAY_MS) return { ok: false, message: `Retry schedule: '${part}' is longer than 24h` };
    scheduleMs.push(ms);
  }
  return { ok: true, scheduleMs };
}

/** One delay in the largest unit that writes it whole: 300000 → "5m", 1500 → "1500ms". */
export function formatDuration(ms: number): string {
  for (const unit of ["h", "m", "s"] as const) {
    if (ms !== 0 && ms % UNIT_MS[unit]! === 0) return `${ms / UNIT_MS[unit]!}${unit}`;
  }
  return ms === 0 ? "0s" : `${ms}ms`;
}

/** The schedule as parseRetrySchedule reads it back: "5s, 5m, 30m, 2h". */
export function formatRetrySchedule(scheduleMs: readonly number[]): string {
  return scheduleMs.map(formatDuration).join(", ");
}
