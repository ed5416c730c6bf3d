import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/database";
import {
  generateSigningSecret,
  pruneWebhookMessages,
  rememberWebhookMessage,
  signingKeyOf,
  signWebhook,
  verifyWebhookSignature,
  webhookHeaders,
} from "./webhook-signature";

const database = useTestDatabase();

// The Standard Webhooks specification's published test vector.
const VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};
const vectorTime = new Date(VECTOR.timestamp * 1000);
const vectorHeaders = (signature = VECTOR.signature, timestamp = String(VECTOR.timestamp)) => ({
  "webhook-id": VECTOR.id,
  "webhook-timestamp": timestamp,
  "webhook-signature": signature,
});

describe("Standard Webhooks signatures", () => {
  it("signs exactly as the specification's test vector", () => {
    expect(signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it("verifies the vector, and any one of several space-separated signatures", () => {
    expect(verifyWebhookSignature(VECTOR.secret, vectorHeaders(), VECTOR.body, { now: vectorTime })).toEqual({
      ok: true,
      messageId: VECTOR.id,
      timestamp: VECTOR.timestamp,
    });
    const rotating = `v1,${Buffer.alloc(32).toString("base64")} v2,whatever ${VECTOR.signature}`;
    expect(verifyWebhookSignature(VECTOR.secret, vectorHeaders(rotating), VECTOR.body, { now: vectorTime }).ok).toBe(true);
  });

  it("refuses another body, another secret, a bad signature and a non-v1 scheme", () => {
    const check = (secret: string, headers: Record<string, string>, body = VECTOR.body) =>
      verifyWebhookSignature(secret, headers, body, { now: vectorTime });
    expect(check(VECTOR.secret, vectorHeaders(), '{"test": 2432232315}')).toMatchObject({ ok: false, failure: "SIGNATURE_INVALID" });
    expect(check(generateSigningSecret(), vectorHeaders())).toMatchObject({ ok: false, failure: "SIGNATURE_INVALID" });
    expect(check(VECTOR.secret, vectorHeaders("v1,AAAA"))).toMatchObject({ ok: false, failure: "SIGNATURE_INVALID" });
    expect(check(VECTOR.secret, vectorHeaders(VECTOR.signature.replace("v1,", "v2,")))).toMatchObject({ ok: false });
    expect(check(VECTOR.secret, vectorHeaders(VECTOR.signature, "16142653x0"))).toMatchObject({ ok: false, failure: "SIGNATURE_INVALID" });
  });

  it("refuses timestamps outside the tolerance in either direction, and missing headers", () => {
    const at = (offsetSeconds: number, toleranceSeconds?: number) =>
      verifyWebhookSignature(VECTOR.secret, vectorHeaders(), VECTOR.body, {
        now: new Date((VECTOR.timestamp + offsetSeconds) * 1000),
        toleranceSeconds,
      });
    expect(at(300).ok).toBe(true);
    expect(at(-300).ok).toBe(true);
    expect(at(301)).toMatchObject({ ok: false, failure: "SIGNATURE_STALE" });
    expect(at(-301)).toMatchObject({ ok: false, failure: "SIGNATURE_STALE" });
    expect(at(900, 1000).ok).toBe(true);
    const { "webhook-id": _omitted, ...withoutId } = vectorHeaders();
    expect(verifyWebhookSignature(VECTOR.secret, withoutId, VECTOR.body, { now: vectorTime })).toMatchObject({
      ok: false,
      failure: "SIGNATURE_MISSING",
    });
  });

  it("generates whsec_ secrets of 32 random bytes, and signs headers ready to send", () => {
    const secret = generateSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(signingKeyOf(secret)).toHaveLength(32);
    expect(signingKeyOf("whsec_c2hvcnQ=")).toBeUndefined();
    expect(signingKeyOf("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).toBeUndefined();
    const headers = webhookHeaders(secret, "msg_1", "{}");
    expect(verifyWebhookSignature(secret, headers, "{}").ok).toBe(true);
  });

  it("accepts each message id once per client, and prunes ids past the replay window", async () => {
    const { sql } = database();
    const [clientA, clientB] = [randomUUID(), randomUUID()];
    const never = () => 1;
    expect(await rememberWebhookMessage(sql, clientA, "msg_1", { random: never })).toBe(true);
    expect(await rememberWebhookMessage(sql, clientA, "msg_1", { random: never })).toBe(false);
    expect(await rememberWebhookMessage(sql, clientB, "msg_1", { random: never })).toBe(true);

    await sql`update webhook_messages set seen_at = now() - interval '3 hours' where client_id = ${clientA}`;
    expect(await pruneWebhookMessages(sql)).toBe(1);
    // Forgetting is safe only because a message that old fails the timestamp check anyway.
    expect(await rememberWebhookMessage(sql, clientA, "msg_1", { random: () => 0 })).toBe(true);
    const [count] = await sql<{ n: number }[]>`select count(*)::int as n from webhook_messages`;
    expect(count!.n).toBe(2);
  });
});
