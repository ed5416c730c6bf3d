/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): `webhook-id`,
 * `webhook-timestamp` (unix seconds) and `webhook-signature` (space-separated `v1,<base64>`
 * entries, so a sender can sign with an old and a new secret while rotating). The signed
 * content is `${id}.${timestamp}.${body}`, HMAC-SHA256 keyed with the base64 bytes after
 * `whsec_`. A timestamp outside the tolerance (either direction) is refused, and each id is
 * accepted once per client: `webhook_messages` remembers ids for as long as a replay could
 * still pass the timestamp check. Incoming verification and outgoing delivery share this file.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Queryable } from "@/server/db/queryable";

export const SIGNING_SECRET_PREFIX = "whsec_";
export const DEFAULT_TOLERANCE_SECONDS = 300;
/** The auth node allows up to an hour of tolerance. */
export const MAX_TOLERANCE_SECONDS = 3600;
/**
 * A message stamped `tolerance` seconds in the future can be replayed until `tolerance` after its
 * stamp: ids must be kept twice the largest tolerance. (At the default five minutes ten would do,
 * but one client may call flows with different tolerances and shares one replay list.)
 */
export const REPLAY_MEMORY_SECONDS = 2 * MAX_TOLERANCE_SECONDS;
const PRUNE_PROBABILITY = 0.01;

export function generateSigningSecret(): string {
  return `${SIGNING_SECRET_PREFIX}${randomBytes(32).toString("base64")}`;
}

/** The HMAC key of a `whsec_` secret; undefined when it is not one (24 to 64 random bytes). */
export function signingKeyOf(secret: string): Buffer | undefined {
  if (!secret.startsWith(SIGNING_SECRET_PREFIX)) return undefined;
  const encoded = secret.slice(SIGNING_SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return undefined;
  const key = Buffer.from(encoded, "base64");
  return key.length >= 24 && key.length <= 64 ? key : undefined;
}

function requireSigningKey(secret: string): Buffer {
  const key = signingKeyOf(secret);
  if (!key) throw new Error("A signing secret must be whsec_ followed by 24 to 64 bytes in base64");
  return key;
}

function signature(key: Buffer, id: string, timestamp: string, body: string): Buffer {
  return createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest();
}

/** The `webhook-signature` value for a message: `v1,<base64>`. */
export function signWebhook(secret: string, id: string, timestamp: number | string, body: string): string {
  return `v1,${signature(requireSigningKey(secret), id, String(timestamp), body).toString("base64")}`;
}

/** The three headers of a signed message, ready to send. */
export function webhookHeaders(secret: string, id: string, body: string, now: Date = new Date()): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signWebhook(secret, id, timestamp, body) };
}

export type SignatureFailure = "SIGNATURE_MISSING" | "SIGNATURE_INVALID" | "SIGNATURE_STALE" | "SIGNATURE_REPLAYED";

export type SignatureCheck = { ok: true; messageId: string; timestamp: number } | { ok: false; failure: SignatureFailure; message: string };

/** Whether the request carries any Standard Webhooks header (so it meant to be signed). */
export function hasWebhookHeaders(headers: Record<string, string | undefined>): boolean {
  return headers["webhook-signature"] !== undefined || headers["webhook-id"] !== undefined;
}

/**
 * Checks headers, timestamp and signature; pure (no replay check: see rememberWebhookMessage).
 * `headers` are lower-cased.
 */
export function verifyWebhookSignature(
  secret: string,
  headers: Record<string, string | undefined>,
  rawBody: string,
  options: { toleranceSeconds?: number; now?: Date } = {},
): SignatureCheck {
  const id = headers["webhook-id"]?.trim();
  const timestampText = headers["webhook-timestamp"]?.trim();
  const signatures = headers["webhook-signature"]?.trim();
  if (!id || !timestampText || !signatures) {
    return { ok: false, failure: "SIGNATURE_MISSING", message: "Missing webhook-id, webhook-timestamp or webhook-signature header" };
  }
  if (id.length > 256) return { ok: false, failure: "SIGNATURE_INVALID", message: "webhook-id is longer than 256 characters" };
  if (!/^\d{1,12}$/.test(timestampText)) return { ok: false, failure: "SIGNATURE_INVALID", message: "Invalid webhook-timestamp" };
  const timestamp = Number(timestampText);
  const tolerance = Math.min(options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS, MAX_TOLERANCE_SECONDS);
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - timestamp) > tolerance) {
    return { ok: false, failure: "SIGNATURE_STALE", message: "Webhook timestamp is outside the allowed tolerance" };
  }
  const key = signingKeyOf(secret);
  if (!key) return { ok: false, failure: "SIGNATURE_INVALID", message: "Invalid webhook signature" };
  const expected = signature(key, id, timestampText, rawBody);
  let matched = false;
  for (const entry of signatures.split(" ")) {
    const [version, value] = entry.split(",", 2);
    if (version !== "v1" || !value) continue;
    const given = Buffer.from(value, "base64");
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  return matched ? { ok: true, messageId: id, timestamp } : { ok: false, failure: "SIGNATURE_INVALID", message: "Invalid webhook signature" };
}

/** Records a message id for the client; false when it was already seen (a replay). */
export async function rememberWebhookMessage(
  sql: Queryable,
  clientId: string,
  messageId: string,
  options: { random?: () => number } = {},
): Promise<boolean> {
  const inserted = await sql`
    insert into webhook_messages (client_id, message_id) values (${clientId}, ${messageId})
    on conflict do nothing returning 1`;
  if ((options.random ?? Math.random)() < PRUNE_PROBABILITY) await pruneWebhookMessages(sql);
  return inserted.length === 1;
}

/** Forgets ids no replay could use any more; returns how many. */
export async function pruneWebhookMessages(sql: Queryable, olderThanSeconds = REPLAY_MEMORY_SECONDS): Promise<number> {
  const deleted = await sql`delete from webhook_messages where seen_at < now() - make_interval(secs => ${olderThanSeconds})`;
  return deleted.count;
}
