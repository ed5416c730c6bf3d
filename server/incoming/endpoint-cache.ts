/**
 * The endpoint and credential lookup of an incoming call (endpoints.ts), kept per process so the
 * usual call needs no query before its transaction. Never less strict than reading it each time:
 * every change the lookup depends on bumps incoming_config_version in the same transaction
 * (drizzle/0015), and a call answered from here reads that number in its own transaction, in a
 * statement sent with the flow's first query (lookupsStillCurrent: no extra round trip). If it moved, or the
 * key has expired since, the call rolls back and runs again on a fresh lookup (handle-incoming.ts).
 * Only calls that write nothing before their flow use it (no Idempotency-Key, no rate limit, no
 * signature, no last_used_at due); anything refused is refused on a fresh lookup.
 */
import type { Queryable } from "@/server/db/queryable";
import type { IncomingLookup } from "./endpoints";
import type { VerifiedCaller } from "./inbound-auth";

interface CachedLookup {
  lookup: IncomingLookup;
  /** Until then the rows' last_used_at needs no touch (written at most once a minute per key). */
  touchFreeUntil: number;
}

/** What a call answered from the cache must prove in its transaction. */
export interface LookupCheck {
  configVersion: string;
  /** The used credential's expiry as PostgreSQL printed it; "infinity" when none. */
  expiresAt: string;
}

/** Raised inside the call's transaction when the cached lookup is no longer current: redo it fresh. */
export class StaleLookup extends Error {
  constructor() {
    super("the incoming configuration changed since this lookup was cached");
  }
}

const MAX_ENTRIES = 1_000;
const TOUCH_INTERVAL_MS = 60_000;
/** Per connection pool: two databases in one process (tests) never share entries. */
const caches = new WeakMap<object, Map<string, CachedLookup>>();

export const lookupKey = (slug: string, prefixes: string[]) => `${slug}\n${prefixes.join("\n")}`;

/** The cached lookup for this key, unless a credential's last_used_at is due (the fresh path touches it). */
export function cachedLookup(pool: object, key: string): IncomingLookup | undefined {
  const hit = caches.get(pool)?.get(key);
  return hit && Date.now() < hit.touchFreeUntil ? hit.lookup : undefined;
}

/**
 * Keeps a fresh lookup after the call it served passed every check (and touched what was due).
 * Clients whose calls write before the flow (rate limit, signature) would never use it: not kept.
 */
export function rememberLookup(pool: object, key: string, lookup: IncomingLookup): void {
  if (!lookup.endpoint) return;
  const rows = lookup.credentials.rows;
  if (rows.some((r) => r.rate_limit_per_minute !== null || r.require_signature)) return;
  const now = Date.now();
  let touchFreeUntil = now + TOUCH_INTERVAL_MS;
  for (const row of rows) {
    // A row that was due has just been touched by the call; the others were touched at last_used_at.
    if (!row.touch_due && row.last_used_at) touchFreeUntil = Math.min(touchFreeUntil, row.last_used_at.getTime() + TOUCH_INTERVAL_MS);
  }
  const kept = { ...lookup, credentials: { ...lookup.credentials, rows: rows.map((r) => ({ ...r, touch_due: false })) } };
  let cache = caches.get(pool);
  if (!cache) caches.set(pool, (cache = new Map()));
  cache.delete(key);
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, { lookup: kept, touchFreeUntil });
}

export function forgetLookup(pool: object, key: string): void {
  caches.get(pool)?.delete(key);
}

export function lookupCheckOf(lookup: IncomingLookup, caller: VerifiedCaller | undefined): LookupCheck {
  const row = caller?.credentialPrefix ? lookup.credentials.rows.find((r) => r.prefix === caller.credentialPrefix) : undefined;
  return { configVersion: lookup.configVersion, expiresAt: row?.expires_at ?? "infinity" };
}

/**
 * Whether nothing the lookups read has changed and no key has expired, as of this transaction
 * (run it first: it rides with the flow's first query). now() is the transaction's start, the clock fresh lookups use.
 * Calls that share a transaction (call-group.ts) prove all their lookups in this one statement.
 * The values travel as text: typed parameters would make postgres.js parse "infinity" as a Date.
 */
export async function lookupsStillCurrent(sql: Queryable, checks: LookupCheck[]): Promise<boolean> {
  const [row] = await sql<{ current: boolean }[]>`
    select coalesce(bool_and(c.version = (select version from incoming_config_version) and c.expires_at > now()), true) as current
    from unnest(${checks.map((c) => c.configVersion)}::text[]::bigint[], ${checks.map((c) => c.expiresAt)}::text[]::timestamptz[]) as c(version, expires_at)`;
  return row?.current === true;
}
