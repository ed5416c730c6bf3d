/**
 * Calls sharing one transaction (call-group.ts over unit-of-work.ts `sharedUnit`): who stays, who is
 * sent back to run alone, what commits. Real PostgreSQL. With grouping switched off every call is
 * sent back: the sharing tests fail (the last test checks that).
 */
import { afterEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { ExecutionResult } from "@/server/engine/execute";
import { FlowError } from "@/server/engine/errors";
import { recordServices } from "@/server/records/engine-services";
import { listRecords } from "@/server/records/store";
import { useTestDatabase } from "../testing/database";
import { setMechanismsOff } from "@/server/db/unit-of-work";
import { runGrouped, type GroupedCall } from "./call-group";
import type { LookupCheck } from "./endpoint-cache";

const database = useTestDatabase();

afterEach(() => setMechanismsOff(undefined));

let gst = 5000;
const vendor = (gstNumber = `27GRPAA${gst++}A1Z5`) => ({ Vendor_Name: "Grouped Vendor", GST_No: gstNumber, City: "Mumbai" });

async function currentCheck(): Promise<LookupCheck> {
  const [row] = await database().sql<{ version: string }[]>`select version::text from incoming_config_version`;
  return { configVersion: row!.version, expiresAt: "infinity" };
}

const result = (outcome: ExecutionResult["outcome"], httpStatus: number, recordId?: string): ExecutionResult =>
  ({ outcome, httpStatus, recordId, response: { status: outcome }, mode: "live", requests: [], trace: [], durationUs: 1 }) as unknown as ExecutionResult;

interface Behaviour {
  /** Insert this vendor, then answer SUCCESS (or the insert's duplicate as a 409). */
  insert?: Record<string, unknown>;
  /** After the insert (if any), fail with 400. */
  failAfter?: boolean;
  throws?: boolean;
}

/** A grouped call whose flow does what `b` says through the real record services; its log row gets `id`. */
function call(check: LookupCheck, b: Behaviour, id = randomUUID()): GroupedCall & { id: string } {
  return {
    id,
    check,
    async run(tx, options) {
      if (b.throws) throw new Error("the flow blew up");
      let recordId: string | undefined;
      if (b.insert) {
        try {
          recordId = (await recordServices(tx.sql, options).insert!("Vendor", b.insert, { dryRun: false })).id;
        } catch (error) {
          if (error instanceof FlowError && error.code === "DUPLICATE_RECORD") return result("DUPLICATE", 409);
          throw error;
        }
      }
      return b.failAfter ? result("FAILED", 400) : result("SUCCESS", 200, recordId);
    },
    logEntry: (r) => ({ id, startedAt: new Date(), direction: "incoming", flowSlug: "group-test", status: r.outcome, httpStatus: r.httpStatus, recordId: r.recordId, durationMs: 1 }),
  };
}

async function xminsOf(ids: string[], recordIds: string[]) {
  const { sql } = database();
  const logs = await sql<{ id: string; x: string }[]>`select id, xmin::text as x from executions where id = any(${ids}::uuid[])`;
  const records = await sql<{ record_id: string; x: string }[]>`select record_id, xmin::text as x from records where record_id = any(${recordIds})`;
  return { logs, records };
}

describe("calls grouped in one transaction", () => {
  it("commits the calls of one turn together: every record and log row in one transaction, records in numbering order", async () => {
    const check = await currentCheck();
    const calls = Array.from({ length: 8 }, () => call(check, { insert: vendor() }));
    const results = await Promise.all(calls.map((c) => runGrouped(database().sql, c)));
    expect(results.map((r) => r?.httpStatus)).toEqual(Array(8).fill(200));
    const { logs, records } = await xminsOf(calls.map((c) => c.id), results.map((r) => r!.recordId!));
    expect(logs).toHaveLength(8);
    expect(records).toHaveLength(8);
    expect(new Set([...logs, ...records].map((r) => r.x)).size).toBe(1);
    // One transaction, yet each record keeps its own creation time: newest first is numbering order.
    const listed = (await listRecords(database().sql, "Vendor", { limit: 8 })).map((r) => Number(r.recordId.slice("VEND-".length)));
    expect(listed).toEqual(results.map((r) => Number(r!.recordId!.slice("VEND-".length))).sort((a, b) => b - a));
  });

  it("keeps a call that failed without leaving writes (validation, duplicate): its log row commits with the others", async () => {
    const check = await currentCheck();
    const same = vendor();
    const calls = [call(check, { insert: same }), call(check, { insert: { ...same, Vendor_Name: "Twin" } }), call(check, { failAfter: true })];
    const results = await Promise.all(calls.map((c) => runGrouped(database().sql, c)));
    expect(results.map((r) => r?.httpStatus)).toEqual([200, 409, 400]);
    const { logs } = await xminsOf(calls.map((c) => c.id), []);
    expect(logs).toHaveLength(3);
    expect(new Set(logs.map((l) => l.x)).size).toBe(1);
    expect(await database().sql`select 1 from record_keys where key_value = ${same.GST_No}`).toHaveLength(1);
  });

  it("sends every call back to run alone, with nothing committed, when one failed after writing", async () => {
    const check = await currentCheck();
    const written = vendor();
    const calls = [call(check, { insert: vendor() }), call(check, { insert: written, failAfter: true }), call(check, {})];
    const results = await Promise.all(calls.map((c) => runGrouped(database().sql, c)));
    expect(results).toEqual([undefined, undefined, undefined]);
    const { logs } = await xminsOf(calls.map((c) => c.id), []);
    expect(logs).toHaveLength(0);
    const keys = await database().sql`select 1 from record_keys where key_value = ${written.GST_No}`;
    expect(keys).toHaveLength(0);
  });

  it("sends every call back when a flow throws or a cached lookup is no longer current", async () => {
    const check = await currentCheck();
    const thrown = [call(check, { insert: vendor() }), call(check, { throws: true })];
    expect(await Promise.all(thrown.map((c) => runGrouped(database().sql, c)))).toEqual([undefined, undefined]);

    const stale = { ...check, configVersion: String(BigInt(check.configVersion) - 1n) };
    const expired = { ...check, expiresAt: "2020-01-01T00:00:00Z" };
    for (const odd of [stale, expired]) {
      const calls = [call(check, { insert: vendor() }), call(odd, { insert: vendor() })];
      expect(await Promise.all(calls.map((c) => runGrouped(database().sql, c)))).toEqual([undefined, undefined]);
      expect((await xminsOf(calls.map((c) => c.id), [])).logs).toHaveLength(0);
    }
  });

  it("sends every call back when one call's statement fails (the shared transaction is aborted), with nothing committed", async () => {
    const check = await currentCheck();
    const failing: GroupedCall & { id: string } = {
      ...call(check, {}),
      async run(tx) {
        await tx.sql`select 1 / 0`; // aborts the transaction every call of the group shares
        return result("SUCCESS", 200);
      },
    };
    const calls = [call(check, { insert: vendor() }), failing, call(check, { insert: vendor() })];
    expect(await Promise.all(calls.map((c) => runGrouped(database().sql, c)))).toEqual([undefined, undefined, undefined]);
    expect((await xminsOf(calls.map((c) => c.id), [])).logs).toHaveLength(0);
  });

  it("does not hold back a lone call: it is sent to run alone at once", async () => {
    const lone = call(await currentCheck(), { insert: vendor() });
    expect(await runGrouped(database().sql, lone)).toBeUndefined();
    expect((await xminsOf([lone.id], [])).logs).toHaveLength(0);
  });

  it("sends every call back at once with grouping switched off (FLOWPORT_UNIT_OF_WORK_OFF=grouping)", async () => {
    setMechanismsOff(["grouping"]);
    const check = await currentCheck();
    const calls = Array.from({ length: 4 }, () => call(check, { insert: vendor() }));
    expect(await Promise.all(calls.map((c) => runGrouped(database().sql, c)))).toEqual([undefined, undefined, undefined, undefined]);
    expect((await xminsOf(calls.map((c) => c.id), [])).logs).toHaveLength(0);
  });
});
