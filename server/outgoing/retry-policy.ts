/**
 * When the next attempt of a delivery runs: exponential backoff with full jitter (so a burst of
 * deliveries failing together against one flaky system does not retry in lock-step), capped at the
 * policy's maximum, and never earlier than the external system's own Retry-After.
 */
import type { RetryPolicy } from "@/flows/nodes/send/definition";

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

/**
 * Delay before the attempt after `attemptsMade` attempts (1 after the first failure).
 * Exponential: uniform in [0, min(max, initial·2^(n-1))] ("full jitter"); fixed: the initial delay.
 */
export function backoffDelayMs(policy: RetryPolicy, attemptsMade: number, random: () => number = Math.random): number {
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
