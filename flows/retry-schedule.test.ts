import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_SCHEDULE_MS } from "./nodes/send/definition";
import { formatDuration, formatRetrySchedule, parseRetrySchedule } from "./retry-schedule";

describe("retry schedule text", () => {
  it("reads delays in ms, s, m and h, separated by commas or spaces", () => {
    expect(parseRetrySchedule("5s, 5m, 30m, 2h")).toEqual({ ok: true, scheduleMs: [5_000, 300_000, 1_800_000, 7_200_000] });
    expect(parseRetrySchedule(" 250ms 1.5s,10M ")).toEqual({ ok: true, scheduleMs: [250, 1_500, 600_000] });
  });

  it("names the part that is not a duration", () => {
    expect(parseRetrySchedule("5s, 5x, 2h")).toEqual({ ok: false, message: "Retry schedule: '5x' is not a duration like 5s, 10m or 2h" });
    expect(parseRetrySchedule("5")).toEqual({ ok: false, message: "Retry schedule: '5' is not a duration like 5s, 10m or 2h" });
    expect(parseRetrySchedule("-5s")).toMatchObject({ ok: false, message: expect.stringContaining("'-5s'") });
  });

  it("refuses an empty schedule, more than 20 delays and a delay over 24 h", () => {
    expect(parseRetrySchedule(" , ")).toMatchObject({ ok: false, message: expect.stringContaining("at least one delay") });
    expect(parseRetrySchedule(Array(21).fill("1s").join(","))).toMatchObject({ ok: false, message: expect.stringContaining("at most 20") });
    expect(parseRetrySchedule("25h")).toEqual({ ok: false, message: "Retry schedule: '25h' is longer than 24h" });
  });

  it("prints each delay in the largest whole unit, and reads back what it prints", () => {
    expect(formatDuration(300_000)).toBe("5m");
    expect(formatDuration(1_500)).toBe("1500ms");
    expect(formatDuration(0)).toBe("0s");
    expect(formatRetrySchedule(DEFAULT_RETRY_SCHEDULE_MS)).toBe("5s, 5m, 30m, 2h, 5h, 10h, 10h");
    const text = formatRetrySchedule([250, 90_000, 5_400_000]);
    expect(text).toBe("250ms, 90s, 90m");
    expect(parseRetrySchedule(text)).toEqual({ ok: true, scheduleMs: [250, 90_000, 5_400_000] });
  });
});
