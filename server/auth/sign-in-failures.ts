/**
 * Sign-in guessing per account (issue 15): better-auth limits attempts per address, so 30
 * addresses could each try one password on the same account every minute. Failed sign-ins are
 * written to the audit log (action `user.sign_in_failed`, target the email, details the address),
 * which every web process shares and admins read; once an email has ACCOUNT_FAILURE_LIMIT of
 * them within the window, sign-in to it is refused with 429 for everyone — the right password
 * included, or the refusal would tell the guesser when it found it. The window is short and
 * slides: the account opens again 15 minutes after its tenth-newest failure.
 */
import type { Queryable } from "@/server/db/queryable";
import { recordAudit } from "@/server/audit/audit-log";

export const ACCOUNT_FAILURE_LIMIT = 10;
export const ACCOUNT_FAILURE_WINDOW_MINUTES = 15;
export const SIGN_IN_FAILED = "user.sign_in_failed";

/** The address of an attempted sign-in, as the audit log keys it. */
export const accountKey = (email: string) => email.trim().toLowerCase();

/** Minutes until `email` may try again, or undefined when it may now. */
export async function accountSignInRetryAfter(sql: Queryable, email: string): Promise<number | undefined> {
  const rows = await sql<{ at: Date }[]>`
    select at from audit_log
    where action = ${SIGN_IN_FAILED} and target = ${accountKey(email)}
      and at > now() - make_interval(mins => ${ACCOUNT_FAILURE_WINDOW_MINUTES})
    order by at desc limit ${ACCOUNT_FAILURE_LIMIT}`;
  if (rows.length < ACCOUNT_FAILURE_LIMIT) return undefined;
  const oldest = rows.at(-1)!.at.getTime();
  return Math.max(1, Math.ceil((oldest + ACCOUNT_FAILURE_WINDOW_MINUTES * 60_000 - Date.now()) / 60_000));
}

export async function recordSignInFailure(sql: Queryable, email: string, ip: string | null): Promise<void> {
  await recordAudit(sql, { actorId: null, action: SIGN_IN_FAILED, target: accountKey(email), details: { ip } });
}
