import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/database";
import { claimIdempotencyKey, completeIdempotencyKey, hashRequest, releaseIdempotencyKey, validateIdempotencyKey } from "./idempotency";

const database = useTestDatabase();

async function problem(promise: Promise<unknown>) {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error as { httpStatus: number; code: string };
  }
}

describe("Idempotency-Key", () => {
  it("refuses a repeat while the first is running (409), replays it once done, and refuses another body (422)", async () => {
    const { sql } = database();
    const hash = hashRequest('{"a":1}');
    const first = await claimIdempotencyKey(sql, "flow:client", "k1", hash);
    expect(first.kind).toBe("new");
    expect(await problem(claimIdempotencyKey(sql, "flow:client", "k1", hash))).toMatchObject({ httpStatus: 409, code: "IDEMPOTENCY_IN_PROGRESS" });

    await completeIdempotencyKey(sql, { scope: "flow:client", key: "k1" }, { httpStatus: 201, body: { ok: true } });
    expect(await claimIdempotencyKey(sql, "flow:client", "k1", hash)).toEqual({ kind: "replay", answer: { httpStatus: 201, body: { ok: true } } });
    expect(await problem(claimIdempotencyKey(sql, "flow:client", "k1", hashRequest('{"a":2}')))).toMatchObject({ httpStatus: 422 });
    // Another caller's key of the same name is its own.
    expect((await claimIdempotencyKey(sql, "flow:other", "k1", hash)).kind).toBe("new");
  });

  it("forgets released, expired and abandoned keys", async () => {
    const { sql } = database();
    const hash = hashRequest("x");
    await claimIdempotencyKey(sql, "s", "released", hash);
    await releaseIdempotencyKey(sql, { scope: "s", key: "released" });
    expect((await claimIdempotencyKey(sql, "s", "released", hash)).kind).toBe("new");

    await claimIdempotencyKey(sql, "s", "old", hash);
    await completeIdempotencyKey(sql, { scope: "s", key: "old" }, { httpStatus: 200, body: {} });
    await sql`update idempotency_keys set expires_at = now() - interval '1 second' where key = 'old'`;
    expect((await claimIdempotencyKey(sql, "s", "old", hashRequest("different"))).kind).toBe("new");

    await claimIdempotencyKey(sql, "s", "crashed", hash);
    await sql`update idempotency_keys set created_at = now() - interval '5 minutes' where key = 'crashed'`;
    expect((await claimIdempotencyKey(sql, "s", "crashed", hash)).kind).toBe("new");
  });

  it("accepts only sane keys", () => {
    expect(validateIdempotencyKey("order-123")).toBe("order-123");
    expect(() => validateIdempotencyKey("")).toThrow();
    expect(() => validateIdempotencyKey("has space")).toThrow();
    expect(() => validateIdempotencyKey("x".repeat(256))).toThrow();
  });
});
