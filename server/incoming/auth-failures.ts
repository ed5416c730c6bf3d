/**
 * Brute-force guard for the incoming endpoints: an address that presents more than
 * AUTH_FAILURE_LIMIT invalid credentials (unknown keys, wrong secrets, bad signatures) within a
 * minute is answered 429 before its credentials are even looked at, until that minute is over.
 * Missing credentials or a method the flow does not accept are mistakes, not guesses, and do not
 * count. Kept in this process's memory, so the check costs the hot path no query (with several
 * web processes, each counts on its own).
 */
export const AUTH_FAILURE_LIMIT = 20;
const WINDOW_MS = 60_000;
/** Addresses tracked at most; the oldest window is forgotten first. */
const MAX_TRACKED = 10_000;

const windows = new Map<string, { startedAt: number; failures: number }>();

/** Seconds until `address` may try again, or undefined when it is not blocked. */
export function authFailureRetryAfter(address: string, now = Date.now()): number | undefined {
  const window = windows.get(address);
  if (!window) return undefined;
  if (now - window.startedAt >= WINDOW_MS) {
    windows.delete(address);
    return undefined;
  }
  return window.failures >= AUTH_FAILURE_LIMIT ? Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - now) / 1000)) : undefined;
}

export function noteAuthFailure(address: string, now = Date.now()): void {
  let window = windows.get(address);
  if (!window || now - window.startedAt >= WINDOW_MS) {
    windows.delete(address);
    if (windows.size >= MAX_TRACKED) windows.delete(windows.keys().next().value!);
    window = { startedAt: now, failures: 0 };
    windows.set(address, window);
  }
  window.failures++;
}

/** The failures that look like guessing. */
export const GUESSING_FAILURES = new Set(["INVALID_CREDENTIAL", "SIGNATURE_INVALID"]);
