import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, sendConfigSchema } from "@/flows/nodes/send/definition";
import { backoffDelayMs, decideRetry, parseRetryAfter } from "./retry-policy";

const policy = { maxAttempts: 5, backoff: "exponential" as const, initialDelayMs: 1000, maxDelayMs: 10_000 };
const now = new Date("2025-12-12T10:00:00Z");

describe("retry policy", () => {
  it("backs off exponentially with full jitter, capped", () => {
    expect(backoffDelayMs(policy, 1, () => 1)).toBe(1000);
    expect(backoffDelayMs(policy, 3, () => 1)).toBe(4000);
    expect(backoffDelayMs(policy, 10, () => 1)).toBe(10_000);
    expect(backoffDelayMs(policy, 3, () => 0.5)).toBe(2000);
    expect(backoffDelayMs(policy, 60, () => 1)).toBe(10_000);
    expect(backoffDelayMs({ ...policy, backoff: "fixed" }, 4, () => 0)).toBe(1000);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("2", now)).toBe(2000);
    expect(parseRetryAfter("Fri, 12 Dec 2025 10:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Fri, 12 Dec 2025 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it("retries only retryable failures with attempts left, never before Retry-After", () => {
    expect(decideRetry(policy, { retryable: false, attemptsMade: 1, maxAttempts: 5 }, now).retry).toBe(false);
    expect(decideRetry(policy, { retryable: true, attemptsMade: 5, maxAttempts: 5 }, now).retry).toBe(false);
    const d = decideRetry(policy, { retryable: true, attemptsMade: 1, maxAttempts: 5, retryAfter: "120" }, now, () => 0.1);
    expect(d).toMatchObject({ retry: true, delayMs: 120_000 });
    expect(d.nextAttemptAt!.getTime()).toBe(now.getTime() + 120_000);
  });

  it("by default retries for about 27 hours: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h after the first attempt", () => {
    const parsed = sendConfigSchema.parse({ connection: "accounting-system", path: "/x" });
    expect(parsed.retry).toEqual(DEFAULT_RETRY_POLICY);
    expect(parsed.retry.maxAttempts).toBe(8);
    const delays = [1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelayMs(parsed.retry, n, () => 0.5));
    expect(delays).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    const hours = delays.reduce((a, b) => a + b, 0) / 3_600_000;
    expect(hours).toBeGreaterThan(27);
    expect(hours).toBeLessThan(28);
    // The eighth attempt is the last: no ninth.
    expect(decideRetry(parsed.retry, { retryable: true, attemptsMade: 8, maxAttempts: 8 }, now).retry).toBe(false);
    expect(decideRetry(parsed.retry, { retryable: true, attemptsMade: 7, maxAttempts: 8 }, now, () => 0.5).delayMs).toBe(36_000_000);
  });

  it("jitters a scheduled delay by up to 20 % either way", () => {
    const p = DEFAULT_RETRY_POLICY;
    expect(backoffDelayMs(p, 2, () => 0)).toBe(240_000);
    expect(backoffDelayMs(p, 2, () => 1)).toBe(360_000);
    const seen = new Set(Array.from({ length: 20 }, () => backoffDelayMs(p, 1)));
    expect(seen.size).toBeGreaterThan(1);
    for (const d of seen) {
      expect(d).toBeGreaterThanOrEqual(4_000);
      expect(d).toBeLessThanOrEqual(6_000);
    }
  });

  it("takes a flow's own schedule, repeating its last delay, and keeps an explicit older policy", () => {
    const own = sendConfigSchema.parse({ connection: "c", path: "/x", retry: { maxAttempts: 6, scheduleMs: [100, 200] } }).retry;
    expect(own.backoff).toBe("schedule");
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(own, n, () => 0.5))).toEqual([100, 200, 200, 200, 200]);
    const explicit = sendConfigSchema.parse({ connection: "c", path: "/x", retry: { maxAttempts: 5, backoff: "exponential", initialDelayMs: 1000, maxDelayMs: 300_000 } }).retry;
    expect(explicit).toMatchObject({ maxAttempts: 5, backoff: "exponential" });
    expect(backoffDelayMs(explicit, 3, () => 1)).toBe(4000);
  });
});
