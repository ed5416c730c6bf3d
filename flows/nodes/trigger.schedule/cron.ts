/**
 * Five-field cron syntax check (minute hour day-of-month month day-of-week), the dialect
 * graphile-worker's crontab understands: numbers, `*`, ranges, steps, lists and month/day names.
 */

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
  { name: "day of week", min: 0, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
] as const;

function valueOf(token: string, field: (typeof FIELDS)[number]): number | undefined {
  if (/^\d+$/.test(token)) return Number(token);
  if ("names" in field) {
    const index = (field.names as readonly string[]).indexOf(token.toUpperCase());
    if (index >= 0) return index + field.min;
  }
  return undefined;
}

function checkItem(item: string, field: (typeof FIELDS)[number]): string | undefined {
  const [range, step, extra] = item.split("/");
  if (extra !== undefined || range === undefined || range === "") return `bad ${field.name} "${item}"`;
  if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `bad step in ${field.name} "${item}"`;
  if (range === "*") return undefined;
  const [from, to, more] = range.split("-");
  if (more !== undefined || from === undefined) return `bad ${field.name} "${item}"`;
  const lo = valueOf(from, field);
  const hi = to === undefined ? lo : valueOf(to, field);
  if (lo === undefined || hi === undefined) return `bad ${field.name} "${item}"`;
  if (lo < field.min || hi > field.max || lo > hi) return `${field.name} must be within ${field.min}-${field.max}`;
  return undefined;
}

/** The first problem with a cron expression, or undefined when it is valid. */
export function cronProblem(expression: string): string | undefined {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) return "use five fields: minute hour day-of-month month day-of-week";
  for (let i = 0; i < FIELDS.length; i++) {
    const field = FIELDS[i]!;
    for (const item of parts[i]!.split(",")) {
      const problem = checkItem(item, field);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** Whether the runtime knows an IANA time zone (works in browsers too). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
