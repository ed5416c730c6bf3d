/**
 * The pure half of validation: checks that need nothing but the value. Compiled once per rule so the
 * executor's per-record work is a function call. Client-safe, so the designer can check samples too.
 */
import { compileRegex } from "@/flows/safe-regex";
import { FORMAT_PATTERNS, gstinChecksumValid } from "./formats";
import type { ValidationRule, ValueType } from "./rules";

/** Absent for the purpose of optional fields: missing, null, or a string of only whitespace. */
export function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

/** Present but empty: a blank string, an empty array or an empty object. */
export function isBlank(value: unknown): boolean {
  if (typeof value === "string") return value.trim() === "";
  if (Array.isArray(value)) return value.length === 0;
  if (value !== null && typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

function validCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** `YYYY-MM-DD` naming a real calendar day (no 2025-02-30). */
export function isIsoDate(value: unknown): boolean {
  if (typeof value !== "string") return false;
  const m = DATE.exec(value);
  return m !== null && validCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** ISO-8601 date-time: `2025-12-12T10:30:00Z`, optional seconds, fraction and offset. */
export function isIsoDateTime(value: unknown): boolean {
  if (typeof value !== "string") return false;
  const m = DATETIME.exec(value);
  if (m === null || !validCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  return Number(m[4]) <= 23 && Number(m[5]) <= 59 && (m[6] === undefined || Number(m[6]) <= 59);
}

export function hasType(type: ValueType, value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "date":
      return isIsoDate(value);
    case "datetime":
      return isIsoDateTime(value);
  }
}

/** Text-based rules also accept numbers (a mobile sent as 9876543210), compared as their digits. */
function asText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

function textTest(test: (text: string) => boolean): (value: unknown) => boolean {
  return (value) => {
    const text = asText(value);
    return text !== undefined && test(text);
  };
}

function lengthOf(value: unknown): number | undefined {
  if (Array.isArray(value)) return value.length;
  const text = asText(value);
  // Code points, so "₹" or an emoji counts as one character as a person would count it.
  return text === undefined ? undefined : [...text].length;
}

export type LocalCheck = (value: unknown) => boolean;

/**
 * A rule's check on one value, or undefined for rules that need services or JSONata (unique,
 * exists, custom). `required` and `notEmpty` see absent values; every other check only runs on
 * present values (optional fields that are absent skip them).
 */
export function compileLocalCheck(rule: ValidationRule): LocalCheck | undefined {
  switch (rule.rule) {
    case "required":
      return (v) => !isAbsent(v);
    case "notEmpty":
      return (v) => v === undefined || v === null || !isBlank(v);
    case "type":
      return (v) => hasType(rule.type, v);
    case "regex": {
      // The linear-time engine: a catastrophic pattern (^(a+)+$) answers in one pass of the text.
      // Graph validation refuses what it cannot run, so a valid flow never gets here with one.
      const compiled = compileRegex(rule.pattern, rule.flags ?? "");
      if (!compiled.ok) throw new Error(`Invalid pattern for ${rule.field}: ${compiled.message}`);
      const re = compiled.regex;
      return textTest((t) => re.test(t));
    }
    case "length":
      return (v) => {
        const n = lengthOf(v);
        return n !== undefined && (rule.min === undefined || n >= rule.min) && (rule.max === undefined || n <= rule.max);
      };
    case "range":
      return (v) =>
        typeof v === "number" &&
        Number.isFinite(v) &&
        (rule.min === undefined || v >= rule.min) &&
        (rule.max === undefined || v <= rule.max);
    case "enum": {
      if (!rule.caseInsensitive) {
        const allowed = new Set<unknown>(rule.values);
        return (v) => allowed.has(v);
      }
      const allowed = new Set(rule.values.map((x) => (typeof x === "string" ? x.toLowerCase() : x)));
      return (v) => allowed.has(typeof v === "string" ? v.toLowerCase() : (v as string));
    }
    case "format": {
      const re = FORMAT_PATTERNS[rule.format];
      return textTest((t) => re.test(t));
    }
    case "gstinChecksum":
      return textTest(gstinChecksumValid);
    case "unique":
    case "exists":
    case "custom":
      return undefined;
  }
}

/** Rules that also judge absent values; every other rule skips a field that is absent. */
export function checksAbsentValues(rule: ValidationRule): boolean {
  return rule.rule === "required" || rule.rule === "notEmpty";
}

/** A getter for a dotted field path, split once: `address.city`, `lines.0.qty`. */
export function compileFieldPath(path: string): (record: unknown) => unknown {
  const parts = path.split(".");
  if (parts.length === 1) {
    const key = path;
    return (record) =>
      record !== null && typeof record === "object" && Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;
  }
  return (record) => {
    let current: unknown = record;
    for (const part of parts) {
      // Own properties only, so a field named "constructor" never reaches Object.prototype.
      if (current === null || typeof current !== "object" || !Object.hasOwn(current, part)) return undefined;
      current = (current as Record<string, unknown>)[part];
    }
    return current;
  };
}
