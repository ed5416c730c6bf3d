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

  it("creates the coming months' log partitions and prunes the log by retention", async () => {
    const { sql } = database();
    const month = (offset: number) => {
      const d = new Date();
      d.setUTCDate(1);
      d.setUTCMonth(d.getUTCMonth() + offset);
      return `executions_${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
    };
    const partitions = async () =>
      (
        await sql<{ name: string }[]>`
          select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
          join pg_class p on p.oid = i.inhparent where p.relname = 'executions'`
      ).map((r) => r.name);
    await sql`select ensure_execution_partitions((now() - interval '5 months')::date, 1)`;
    await sql`
      insert into executions (started_at, direction, flow_slug, status, duration_ms)
      select now() - make_interval(days => d), 'incoming', 'vendor-master', 'SUCCESS', 1 from unnest(array[150, 2]) d`;
    expect(await partitions()).toContain(month(-5));

    await nightlyMaintenance({}, {} as JobHelpers);
    const after = await partitions();
    expect(after).not.toContain(month(-5));
    expect(after).toEqual(expect.arrayContaining([month(0), month(1), month(2)]));
    const left = await sql<{ days: number }[]>`select extract(day from now() - started_at)::int as days from executions`;
    expect(left.map((r) => r.days)).toEqual([2]);
  });
});
