/**
 * The connection and stored credential an outgoing attempt sends with, kept in this process while
 * neither table has changed. Reading them fresh cost every delivery a round trip of its own;
 * instead the attempt's claim statement (claim-delivery.ts) also returns CONFIG_STAMP, a digest of
 * both tables that any committed insert, update or delete changes (each row version has a new
 * xmin), whichever process made it. A stamp other than the cached one means: read again.
 */
import type { Queryable } from "@/server/db/queryable";
import { getConnectionForSend, type Connection } from "./connections";
import type { StoredCredential } from "./credentials";

/**
 * SQL expression: the configuration stamp. Row count and the sum of the row versions' xmin per
 * table: a delete lowers the count, an insert raises it, an update (even one that leaves
 * updated_at alone, such as dropping a refused OAuth2 token) replaces an xmin by a later one.
 */
export const CONFIG_STAMP_SQL = `(select count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) from connections) || '/' ||
  (select count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) from credentials)`;

type ForSend = { connection: Connection; credential: StoredCredential | undefined };

/** Entries are few (connection × credential pairs in use); a runaway set is simply dropped. */
const MAX_ENTRIES = 1000;
const cache = new Map<string, { stamp: string; value: ForSend }>();

/** getConnectionForSend, answered from memory while `stamp` (read in the same transaction or later) is the cached one. */
export async function connectionForSend(sql: Queryable, name: string, credentialName: string | undefined, stamp: string): Promise<ForSend> {
  const key = JSON.stringify([name, credentialName ?? null]);
  const hit = cache.get(key);
  if (hit?.stamp === stamp) return hit.value;
  // A miss reads fresh (and so throws CONNECTION_NOT_FOUND for a deleted one, caching nothing).
  const value = await getConnectionForSend(sql, name, credentialName);
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(key, { stamp, value });
  return value;
}

/** For tests: forget every cached connection. */
export function clearConnectionCache(): void {
  cache.clear();
}
