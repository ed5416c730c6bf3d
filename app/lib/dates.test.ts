import { describe, expect, it } from "vitest";
import { formatTime } from "@/app/components/logs/format";
import { when } from "@/app/components/admin/format";
import { formatDateTime } from "./dates";

describe("formatDateTime", () => {
  const local = new Date(2026, 10, 29, 14, 5, 9); // local time, so the test holds in any time zone

  it("writes one format on every screen: day, month, year and time, seconds where asked", () => {
    expect(formatDateTime(local)).toBe("29 Nov 2026, 14:05");
    expect(formatDateTime(local, { seconds: true })).toBe("29 Nov 2026, 14:05:09");
    // The admin screens and the logs share it.
    expect(when(local)).toBe("29 Nov 2026, 14:05");
    expect(formatTime(local)).toBe("29 Nov 2026, 14:05:09");
  });

  it("shows a dash (or the given text) for no date or one that does not parse", () => {
    expect(formatDateTime(null)).toBe("—");
    expect(formatDateTime(undefined)).toBe("—");
    expect(formatDateTime(new Date("not a date"))).toBe("—");
    expect(when(null, "never")).toBe("never");
  });
});
