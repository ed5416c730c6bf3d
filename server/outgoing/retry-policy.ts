/**
 * When the next attempt of a delivery runs: by default a schedule measured in hours (5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 10 h) with ±20 % jitter, or exponential backoff with full jitter, or a
 * fixed delay. Jitter keeps a burst of deliveries failing together against one flaky system from
 * retrying in lock-step; nothing runs earlier than the external system's own Retry-After.
 */
import { DEFAULT_RETRY_SCHEDULE_MS, type RetryPolicy } from "@/flows/nodes/send/definition";

export type { RetryPolicy };

/** Retry-After beyond this is treated as this: a misconfigured server must not park a delivery for weeks. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, now: Date = new Date()): number | undefined {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return Math.min(value * 1000, MAX_RETRY_AFTER_MS);
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(at - now.getTime(), 0), MAX_RETRY_AFTER_MS);
}

/** A scheduled delay varies by up to this fraction either way. */
export const SCHEDULE_JITTER = 0.2;

/**
 * Delay before the attempt after `attemptsMade` attempts (1 after the first failure).
 * Schedule: the n-th delay (the last one repeats) ± 20 %. Exponential: uniform in [0, min(max, initial·2^(n-1))] ("full jitter"); fixed: the initial delay.
 */
export function backoffDelayMs(policy: RetryPolicy, attemptsMade: number, random: () => number = Math.random): number {
  if (policy.backoff === "schedule") {
    const schedule = policy.scheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS;
    const base = schedule[Math.min(Math.max(attemptsMade - 1, 0), schedule.length - 1)]!;
    return Math.round(base * (1 + SCHEDULE_JITTER * (2 * random() - 1)));
  }
  if (policy.backoff === "fixed") return Math.min(policy.initialDelayMs, policy.maxDelayMs);
  const exponent = Math.max(attemptsMade - 1, 0);
  // 2^exponent overflows to Infinity long before it matters; min() keeps the cap.
  const cap = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** exponent);
  return Math.round(random() * cap);
}

export interface RetryDecision {
  retry: boolean;
  /** When retrying: when the next attempt may start. */
  nextAttemptAt?: Date;
  delayMs?: number;
}

/**
 * Whether to try again after a failed attempt, and when. `retryable` is the send node's verdict
 * (network errors, timeouts, 408, 429, 5xx); everything else is final on the first failure.
 */
export function decideRetry(
  policy: RetryPolicy,
  failure: { retryable: boolean; attemptsMade: number; maxAttempts: number; retryAfter?: unknown },
  now: Date = new Date(),
  random: () => number = Math.random,
): RetryDecision {
  if (!failure.retryable || failure.attemptsMade >= failure.maxAttempts) return { retry: false };
  const backoff = backoffDelayMs(policy, failure.attemptsMade, random);
  const delayMs = Math.max(backoff, parseRetryAfter(failure.retryAfter, now) ?? 0);
  return { retry: true, delayMs, nextAttemptAt: new Date(now.getTime() + delayMs) };
}
