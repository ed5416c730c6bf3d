import type { JobHelpers } from "graphile-worker";
import { describe, expect, it } from "vitest";
import { claimIdempotencyKey, completeIdempotencyKey, hashRequest } from "../../incoming/idempotency";
import { useTestDatabase } from "../../testing/database";
import { nightlyMaintenance } from "./nightly-maintenance";

const database = useTestDatabase();

describe("nightly-maintenance", () => {
  it("forgets expired Idempotency-Keys and keeps live ones", async () => {
    const { sql } = database();
    for (const key of ["old", "fresh"]) {
      await claimIdempotencyKey(sql, "s", key, hashRequest(key));
      await completeIdempotencyKey(sql, { scope: "s", key }, { httpStatus: 200, body: {} });
    }
    await sql`update idempotency_keys set expires_at = now() - interval '1 minute' where key = 'old'`;
    await nightlyMaintenance({}, {} as JobHelpers);
    const keys = await sql<{ key: string }[]>`select key from idempotency_keys order by key`;
    expect(keys.map((k) => k.key)).toEqual(["fresh"]);
  });
});
