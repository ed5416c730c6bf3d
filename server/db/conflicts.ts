/**
 * Transactions that lost to another one and may simply run again: a deadlock (40P01) or a
 * serialization failure (40001). PostgreSQL rolled the loser back whole, so running it again is
 * safe. Used where failing is worse than repeating: the bookkeeping after an outgoing call the
 * receiver already answered, which must not fail the job (its re-run would send again).
 *
 * Statements that update several rows of one table lock them in primary-key order (claim, settle,
 * release, wake-up), so two of them cannot deadlock on each other; this is the backstop for the
 * pairs no order covers (a settle's records against an incoming request's, say).
 */

/** SQLSTATEs of a transaction chosen as the loser of a conflict. */
const CONFLICT_SQLSTATES = new Set(["40P01", "40001"]);

export function isConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && CONFLICT_SQLSTATES.has(code);
}

/** How many times a conflicting transaction runs in all, and the pause before the second run. */
export const CONFLICT_TRIES = 4;
const FIRST_PAUSE_MS = 20;

/**
 * Runs `work` (a whole transaction, or one autocommitted statement) again when it lost a conflict,
 * up to CONFLICT_TRIES runs, pausing 20, 40, 80 ms (plus jitter: the two losers of one deadlock do
 * not meet again at once). Any other error, or the last conflict, is thrown as it came.
 */
export async function retryOnConflict<T>(work: () => Promise<T>, random: () => number = Math.random): Promise<T> {
  for (let run = 1; ; run++) {
    try {
      return await work();
    } catch (error) {
      if (!isConflict(error) || run >= CONFLICT_TRIES) throw error;
      const pause = FIRST_PAUSE_MS * 2 ** (run - 1);
      await new Promise((resolve) => setTimeout(resolve, pause + Math.round(random() * pause)));
    }
  }
}
