import { describe, expect, it } from "vitest";
import { formatDate, parseDate } from "./dates";

describe("formatDate", () => {
  it.each([
    ["2025-12-12", "DD/MM/YYYY", undefined, "12/12/2025"],
    ["2025-01-05", "D-M-YY", undefined, "5-1-25"],
    ["2025-12-12", "DD MMM YYYY", undefined, "12 Dec 2025"],
    ["2025-12-12", "MMMM D, YYYY", undefined, "December 12, 2025"],
    ["2025-12-12T18:00:00Z", "YYYY-MM-DD HH:mm:ss", undefined, "2025-12-12 18:00:00"],
    ["2025-12-12T18:00:00Z", "DD/MM/YYYY HH:mm", "Asia/Kolkata", "12/12/2025 23:30"],
    [Date.UTC(2025, 11, 12, 6, 5, 4, 3), "HH:mm:ss.SSS", undefined, "06:05:04.003"],
  ])("%s as %s (%s) → %s", (value, picture, zone, expected) => {
    expect(formatDate(value, picture, zone)).toBe(expected);
  });

  it("keeps calendar dates whatever the zone", () => {
    expect(formatDate("2025-12-12", "DD/MM/YYYY", "America/Los_Angeles")).toBe("12/12/2025");
  });

  it("gives undefined for what is not a date", () => {
    expect(formatDate("someday", "DD/MM/YYYY")).toBeUndefined();
  });
});

describe("parseDate", () => {
  it.each([
    ["12/12/2025", "DD/MM/YYYY", "2025-12-12"],
    ["5-1-26", "D-M-YY", "2026-01-05"],
    ["05 jan 2026", "DD MMM YYYY", "2026-01-05"],
    ["29/02/2024", "DD/MM/YYYY", "2024-02-29"],
    ["12.12.2025 09:30", "DD.MM.YYYY HH:mm", "2025-12-12T09:30:00"],
  ])("%s with %s → %s", (text, picture, expected) => {
    expect(parseDate(text, picture)).toBe(expected);
  });

  it.each([
    ["31/02/2025", "DD/MM/YYYY"],
    ["29/02/2025", "DD/MM/YYYY"],
    ["2025-12-12", "DD/MM/YYYY"],
    ["12/13/2025", "DD/MM/YYYY"],
    ["12/12/2025 25:00", "DD/MM/YYYY HH:mm"],
  ])("refuses %s as %s", (text, picture) => {
    expect(parseDate(text, picture)).toBeUndefined();
  });
});
