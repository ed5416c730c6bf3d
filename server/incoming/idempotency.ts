/**
 * Idempotency-Key for incoming calls. The first answer for a key is kept 24 hours;
 * a repeat with the same body gets it again (Idempotent-Replayed: true) and writes
 * nothing; the same key with another body is refused (422); a repeat while the
 * first is still running is refused (409). Keys are scoped per flow and client.
 */
import { createHash } from "node:crypto";
import type { Sql } from "postgres";
import type { Queryable } from "@/server/db/queryable";
import { HttpProblem } from "./http-io";

const TTL_HOURS = 24;
/** An in-progress claim older than this belongs to a crashed process: take it over. */
const ABANDONED_AFTER_SECONDS = 60;

export interface StoredAnswer {
  httpStatus: number;
  body: unknown;
}

export type IdempotencyClaim =
  | { kind: "new"; scope: string; key: string }
  | { kind: "replay"; answer: StoredAnswer };

export function validateIdempotencyKey(value: string): string {
  if (!/^[\x21-\x7e]{1,255}$/.test(value)) {
    throw new HttpProblem("INVALID_IDEMPOTENCY_KEY");
  }
  return value;
}

export const hashRequest = (body: string) => createHash("sha256").update(body).digest("hex");

export async function claimIdempotencyKey(sql: Sql, scope: string, key: string, requestHash: string): Promise<IdempotencyClaim> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const inserted = await sql`
      insert into idempotency_keys (scope, key, request_hash, state, expires_at)
      values (${scope}, ${key}, ${requestHash}, 'in_progress', now() + make_interval(hours => ${TTL_HOURS}))
      on conflict do nothing returning 1`;
    if (inserted.length > 0) return { kind: "new", scope, key };

    const [row] = await sql<
      { request_hash: string; state: string; http_status: number | null; response: unknown; expired: boolean; abandoned: boolean }[]
    >`
      select request_hash, state, http_status, response, expires_at < now() as expired,
             (state = 'in_progress' and created_at < now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS})) as abandoned
      from idempotency_keys where scope = ${scope} and key = ${key}`;
    if (!row) continue; // deleted meanwhile: claim again
    if (row.expired || row.abandoned) {
      await sql`delete from idempotency_keys where scope = ${scope} and key = ${key} and (expires_at < now() or state = 'in_progress')`;
      continue;
    }
    if (row.request_hash !== requestHash) {
      throw new HttpProblem("IDEMPOTENCY_KEY_REUSED");
    }
    if (row.state === "in_progress") {
      throw new HttpProblem("IDEMPOTENCY_IN_PROGRESS", { headers: { "retry-after": "1" } });
    }
    return { kind: "replay", answer: { httpStatus: row.http_status ?? 200, body: row.response } };
  }
  throw new HttpProblem("IDEMPOTENCY_IN_PROGRESS", { headers: { "retry-after": "1" } });
}

/** Stores the answer; run in the same transaction as the work it answers for. */
export async function completeIdempotencyKey(sql: Queryable, claim: { scope: string; key: string }, answer: StoredAnswer) {
  await sql`
    update idempotency_keys set state = 'done', http_status = ${answer.httpStatus}, response = ${sql.json(answer.body as never)}
    where scope = ${claim.scope} and key = ${claim.key}`;
}

/** Unexpected failures are not remembered: the caller may retry with the same key. */
export async function releaseIdempotencyKey(sql: Queryable, claim: { scope: string; key: string }) {
  await sql`delete from idempotency_keys where scope = ${claim.scope} and key = ${claim.key} and state = 'in_progress'`;
}

export async function pruneIdempotencyKeys(sql: Queryable): Promise<number> {
  const rows = await sql`delete from idempotency_keys where expires_at < now() returning 1`;
  return rows.length;
}
