import { describe, expect, it } from "vitest";
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
});
