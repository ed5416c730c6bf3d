/**
 * Brute-force brake for the incoming endpoints. Invalid credentials (unknown keys, wrong secrets,
 * bad signatures) are counted per client address and per presented key prefix; once either has
 * AUTH_FAILURE_LIMIT failures within a minute, further *failing* attempts are answered 429
 * instead of 401 until that minute is over. The check comes after verification, so a valid
 * credential always proceeds: 20 bad keys sent from a load balancer's address (or naming a
 * victim's prefix, which appears in logs) no longer lock every honest client out (issue 15).
 *
 * What it still leaves an attacker: guessing at 256 random bits per key (hopeless at any rate),
 * and the cost of a few failed lookups a second. Missing credentials or a method the flow does
 * not accept are mistakes, not guesses, and do not count. Kept in this process's memory, so the
 * hot path pays no query: with several web processes each counts on its own, which is fine for
 * a brake that never blocks a valid credential (an attacker spread over N processes gets N times
 * the 401s before the 429s, nothing more).
 */
export const AUTH_FAILURE_LIMIT = 20;
const WINDOW_MS = 60_000;
/** Addresses and prefixes tracked at most; the oldest window is forgotten first. */
const MAX_TRACKED = 10_000;

const windows = new Map<string, { startedAt: number; failures: number }>();

/** Who a failure is counted against: the client address, and each well-formed key prefix presented. */
export interface FailureSubject {
  address: string;
  prefixes?: readonly string[];
}

const keysOf = (subject: FailureSubject) => [`address:${subject.address}`, ...(subject.prefixes ?? []).map((p) => `prefix:${p}`)];

/** Seconds until failures from this subject are answered 401 again, or undefined when they are now. */
export function authFailureRetryAfter(subject: FailureSubject, now = Date.now()): number | undefined {
  let retryAfter: number | undefined;
  for (const key of keysOf(subject)) {
    const window = windows.get(key);
    if (!window) continue;
    if (now - window.startedAt >= WINDOW_MS) {
      windows.delete(key);
      continue;
    }
    if (window.failures < AUTH_FAILURE_LIMIT) continue;
    const seconds = Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - now) / 1000));
    retryAfter = Math.max(retryAfter ?? 0, seconds);
  }
  return retryAfter;
}

export function noteAuthFailure(subject: FailureSubject, now = Date.now()): void {
  for (const key of keysOf(subject)) {
    let window = windows.get(key);
    if (!window || now - window.startedAt >= WINDOW_MS) {
      windows.delete(key);
      if (windows.size >= MAX_TRACKED) windows.delete(windows.keys().next().value!);
      window = { startedAt: now, failures: 0 };
      windows.set(key, window);
    }
    window.failures++;
  }
}

/** The failures that look like guessing. */
export const GUESSING_FAILURES = new Set(["INVALID_CREDENTIAL", "SIGNATURE_INVALID"]);
