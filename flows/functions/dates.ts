/**
 * Date pictures as ERP users write them (`DD/MM/YYYY`, `DD-MMM-YYYY HH:mm`), for $formatDate and
 * $parseDate. Calendar dates stay calendar dates: "2025-12-12" formats as 12/12/2025 whatever the
 * server's time zone.
 */
import { safeRegex, type SafeRegex } from "@/flows/safe-regex";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const TOKENS = /YYYY|YY|MMMM|MMM|MM|M|DD|D|HH|H|mm|ss|SSS/g;

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

function partsInZone(date: Date, timeZone: string): Parts {
  const fmt = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  const get = (type: string): number => Number(fmt.formatToParts(date).find((p) => p.type === type)?.value ?? 0);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second"), millisecond: date.getUTCMilliseconds() };
}

function toParts(value: string | number, timeZone: string | undefined): Parts | undefined {
  if (typeof value === "string") {
    const m = DATE_ONLY.exec(value);
    if (m) return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: 0, minute: 0, second: 0, millisecond: 0 };
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return undefined;
  if (timeZone) return partsInZone(date, timeZone);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    millisecond: date.getUTCMilliseconds(),
  };
}

/** Formats an ISO date, ISO date-time or epoch milliseconds; undefined when the value is no date. */
export function formatDate(value: string | number, picture: string, timeZone?: string): string | undefined {
  const p = toParts(value, timeZone);
  if (!p) return undefined;
  return picture.replace(TOKENS, (token) => {
    switch (token) {
      case "YYYY": return pad(p.year, 4);
      case "YY": return pad(p.year % 100);
      case "MMMM": return MONTHS[p.month - 1]!;
      case "MMM": return MONTHS[p.month - 1]!.slice(0, 3);
      case "MM": return pad(p.month);
      case "M": return String(p.month);
      case "DD": return pad(p.day);
      case "D": return String(p.day);
      case "HH": return pad(p.hour);
      case "H": return String(p.hour);
      case "mm": return pad(p.minute);
      case "ss": return pad(p.second);
      default: return pad(p.millisecond, 3);
    }
  });
}

const TOKEN_PATTERNS: Record<string, string> = {
  YYYY: "(\\d{4})", YY: "(\\d{2})", MMMM: "([A-Za-z]+)", MMM: "([A-Za-z]{3})", MM: "(\\d{2})", M: "(\\d{1,2})",
  DD: "(\\d{2})", D: "(\\d{1,2})", HH: "(\\d{2})", H: "(\\d{1,2})", mm: "(\\d{2})", ss: "(\\d{2})", SSS: "(\\d{3})",
};

const compiledPictures = new Map<string, { re: SafeRegex; tokens: string[] }>();

/**
 * The picture as a regex, matched by the linear-time engine: adjacent name tokens (`MMMMMMMM`
 * → `([A-Za-z]+)([A-Za-z]+)`) would make a backtracking engine try every split of the text.
 */
function compilePicture(picture: string): { re: SafeRegex; tokens: string[] } {
  let compiled = compiledPictures.get(picture);
  if (!compiled) {
    const tokens: string[] = [];
    let source = "";
    let last = 0;
    for (const m of picture.matchAll(TOKENS)) {
      source += picture.slice(last, m.index).replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + TOKEN_PATTERNS[m[0]];
      tokens.push(m[0]);
      last = m.index + m[0].length;
    }
    source += picture.slice(last).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    compiled = { re: safeRegex(`^${source}$`), tokens };
    if (compiledPictures.size < 500) compiledPictures.set(picture, compiled);
  }
  return compiled;
}

/**
 * Reads a date written with a picture into ISO form: `YYYY-MM-DD`, or `YYYY-MM-DDTHH:mm:ss` when the
 * picture has a time. Undefined when the text does not match or names no real date, so a validate
 * rule can report it instead of the expression failing.
 */
export function parseDate(text: string, picture: string): string | undefined {
  const { re, tokens } = compilePicture(picture);
  const m = re.exec(text.trim());
  if (!m) return undefined;
  const p: Parts = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 };
  let hasTime = false;
  tokens.forEach((token, i) => {
    const raw = m[i + 1]!;
    const n = Number(raw);
    if (token === "YYYY") p.year = n;
    else if (token === "YY") p.year = 2000 + n;
    else if (token === "MMMM" || token === "MMM") {
      p.month = MONTHS.findIndex((name) => (token === "MMM" ? name.slice(0, 3) : name).toLowerCase() === raw.toLowerCase()) + 1;
    } else if (token === "MM" || token === "M") p.month = n;
    else if (token === "DD" || token === "D") p.day = n;
    else {
      hasTime = true;
      if (token === "HH" || token === "H") p.hour = n;
      else if (token === "mm") p.minute = n;
      else if (token === "ss") p.second = n;
      else p.millisecond = n;
    }
  });
  const check = new Date(Date.UTC(p.year, p.month - 1, p.day));
  if (p.month < 1 || check.getUTCFullYear() !== p.year || check.getUTCMonth() !== p.month - 1 || check.getUTCDate() !== p.day) {
    return undefined;
  }
  if (p.hour > 23 || p.minute > 59 || p.second > 59) return undefined;
  const date = `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
  return hasTime ? `${date}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` : date;
}
