/**
 * Deadlocks in outgoing delivery (issue 18): a deadlock after the receiver answered failed the
 * job, and its re-run sent the same delivery again (faults/receiver-outage, seen in CI). Statements
 * that update several deliveries lock them in id order, and the bookkeeping after a send cannot
 * make the job send again. Real transactions holding real row locks, a real receiver.
 */
import { randomBytes } from "node:crypto";
import type { ReservedSql } from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CONFLICT_TRIES, isConflict, retryOnConflict } from "@/server/db/conflicts";
import { resetEnvForTests } from "@/server/env";
import { insertRecord } from "@/server/records/store";
import { useTestDatabase } from "../testing/database";
import { recordFailure, releaseWaiting, type CircuitSettings } from "./circuit";
import { claimDeliveries } from "./claim-delivery";
import { setConnection } from "./connections";
import { deliverOnce } from "./deliver";
import { retryDeliveries } from "./failed-queue";
import { sendRecords } from "./manual-send";
import { settleAttempts, type Settlement } from "./settle-attempts";
import { invoiceManualFlow, publish, startAccountingReceiver, startReceiver, variantOf, type Receiver } from "./testing-receiver";

vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
vi.stubEnv("FLOWPORT_CIRCUIT_FAILURES", "3");
vi.stubEnv("FLOWPORT_CIRCUIT_PROBE_MS", "300");
resetEnvForTests();

const settings: CircuitSettings = { failures: 3, probeMs: 300, releasePerSecond: 50 };
const database = useTestDatabase();
let receiver: Receiver;
let flaky: Receiver;

beforeAll(async () => {
  const { sql } = database();
  receiver = await startAccountingReceiver(sql);
  await publish(sql, invoiceManualFlow());
  flaky = await startReceiver();
  await setConnection(sql, { name: "flaky-system", baseUrl: flaky.url, allowPrivate: true });
  await publish(sql, variantOf(invoiceManualFlow(), "invoice-to-flaky", { connection: "flaky-system" }));
});

afterAll(async () => {
  await receiver?.close();
  await flaky?.close();
});

/**
 * `count` queued deliveries of fresh invoices through `flowSlug`, each created after one with a
 * higher id: stored, scanned and released (by creation) in the reverse of id order, so a statement
 * that takes rows as it finds them takes a higher id first. Returned in ascending id order.
 */
async function deliveries(count: number, flowSlug = "invoice-manual-push") {
  const sql = database().sql;
  const made: { id: string; number: string }[] = [];
  while (made.length < count) {
    const number = `INV/D/${randomBytes(4).toString("hex")}`;
    const { record } = await insertRecord(sql, "Invoice", { Invoice_No: number, Invoice_Date: "2025-12-12", Total_Amount: 10 });
    const [id] = await sendRecords(sql, { entity: "Invoice", recordIds: [record.recordId], flowSlug });
    const last = made.at(-1);
    if (!last || id! < last.id) made.push({ id: id!, number });
    else await sql`delete from deliveries where id = ${id!}`;
  }
  return made.reverse();
}

/** A transaction kept open while `during` runs (rolled back after unless committed). */
async function inOpenTransaction(during: (tx: ReservedSql) => Promise<void>) {
  const tx = await database().sql.reserve();
  try {
    await tx`begin`;
    await during(tx);
  } finally {
    await tx`rollback`.catch(() => undefined);
    tx.release();
  }
}

/** Resolves once a statement containing `marker` waits on a row lock. */
const waitsOnLock = (marker: string) =>
  expect
    .poll(async () => (await database().sql`select 1 from pg_stat_activity where wait_event_type = 'Lock' and query like ${`%${marker}%`} and pid <> pg_backend_pid()`).length, {
      timeout: 10_000,
    })
    .toBe(1);

/** Whether another transaction could lock the delivery's row now (without waiting). */
const isFree = async (id: string) => (await database().sql`select id from deliveries where id = ${id} for update skip locked`).length === 1;

/** What a run that sent `id` (claimed with `claimed` attempts) settles: a success. */
function success(id: string, claimed = 0): Settlement {
  return {
    entry: { startedAt: new Date(), direction: "outgoing", status: "SUCCESS", durationMs: 1, deliveryId: id, flowSlug: "invoice-manual-push" },
    deliveryId: id,
    claimedAttempts: claimed,
    attempt: claimed + 1,
    status: "succeeded",
    nextAttemptAt: null,
    errorMessage: null,
    errorCode: null,
    httpStatus: 200,
    retryable: null,
    referenceId: `ACC-${id.slice(0, 8)}`,
    discardReason: null,
    completedAt: new Date(),
    held: false,
    recordPatch: {},
    externalRef: null,
    otherPatches: [],
  };
}

describe("statements that update several deliveries lock them in id order", () => {
  it("two settles of the same deliveries in opposite orders: one settles, the other is superseded, neither deadlocks", async () => {
    const sql = database().sql;
    const [low, high] = await deliveries(2);
    await sql`update deliveries set status = 'delivering' where id = any(${[low!.id, high!.id]}::uuid[])`;
    let late: Promise<unknown> | undefined;
    await inOpenTransaction(async (first) => {
      // The first settle has its first row (the lower id) locked, as when it got there first.
      await first`select 1 from deliveries where id = ${low!.id} for update`;
      late = inOpenTransaction(async (second) => {
        await settleAttempts(second, [success(high!.id), success(low!.id)]);
        await second`commit`;
      });
      late.catch(() => undefined);
      await waitsOnLock("jsonb_to_recordset");
      // The second waits on the lower id before taking the higher one (taking it first, it deadlocked with the first below).
      expect(await isFree(high!.id)).toBe(true);
      await settleAttempts(first, [success(low!.id), success(high!.id)]);
      await first`commit`;
    });
    // The second found the attempts already settled: its guard refused (NOT NULL on attempts), not a deadlock.
    await expect(late).rejects.toMatchObject({ code: "23502", column_name: "attempts" });
    const rows = await sql<{ status: string; attempts: number }[]>`select status, attempts from deliveries where id = any(${[low!.id, high!.id]}::uuid[])`;
    expect(rows).toEqual([
      { status: "succeeded", attempts: 1 },
      { status: "succeeded", attempts: 1 },
    ]);
  });

  it("a circuit's release waits on the first row by id before locking the others (created in the opposite order)", async () => {
    const sql = database().sql;
    const made = await deliveries(3, "invoice-to-flaky");
    // Held by the circuit; the release's own order (by creation) is the reverse of id order.
    await sql`update deliveries set held_since = now() where id = any(${made.map((d) => d.id)}::uuid[])`;
    await inOpenTransaction(async (blocker) => {
      await blocker`select 1 from deliveries where id = ${made[0]!.id} for update`;
      const release = releaseWaiting(sql, "flaky-system", settings);
      await waitsOnLock("released as");
      expect(await isFree(made[1]!.id)).toBe(true);
      expect(await isFree(made[2]!.id)).toBe(true);
      await blocker`commit`;
      expect(await release).toBe(3);
    });
  });

  it("a batched claim waits on the first row by id before locking the others", async () => {
    const sql = database().sql;
    const made = await deliveries(3);
    await inOpenTransaction(async (blocker) => {
      await blocker`select 1 from deliveries where id = ${made[0]!.id} for update`;
      const claim = claimDeliveries(sql, [...made].reverse().map((d) => ({ id: d.id, jobId: null })));
      await waitsOnLock("with asked as");
      expect(await isFree(made[1]!.id)).toBe(true);
      expect(await isFree(made[2]!.id)).toBe(true);
      await blocker`commit`;
      expect((await claim).map((r) => r.id).sort()).toEqual(made.map((d) => d.id));
    });
  });
});

describe("operator actions take circuits before deliveries", () => {
  it("a Failed Queue retry waits on the connection's circuit before locking its deliveries, as a resume takes them", async () => {
    const sql = database().sql;
    const [failed] = await deliveries(1, "invoice-to-flaky");
    await sql`update deliveries set status = 'failed', attempts = 1 where id = ${failed!.id}`;
    // Open, its next probe far off: the retry moves the probe to now (failed-queue.ts).
    await recordFailure(sql, "flaky-system", {}, settings);
    await sql`update connection_circuits set state = 'open', next_probe_at = now() + interval '1 hour' where connection_name = 'flaky-system'`;
    await inOpenTransaction(async (resume) => {
      // A resume in progress: it holds the circuit row and will release the connection's deliveries next.
      await resume`select 1 from connection_circuits where connection_name = 'flaky-system' for update`;
      const retry = retryDeliveries(sql, [failed!.id], "ops-test");
      await waitsOnLock("connection_circuits");
      // The retry has not taken the delivery (taking it first, it deadlocked with the resume's release).
      expect(await isFree(failed!.id)).toBe(true);
      await resume`commit`;
      expect(await retry).toEqual([failed!.id]);
    });
    await sql`update connection_circuits set state = 'closed', consecutive_failures = 0, next_probe_at = null where connection_name = 'flaky-system'`;
  });
});

describe("the bookkeeping after a send never sends again", () => {
  /** Opens flaky-system's circuit and waits out the probe interval: the next attempt is a probe. */
  async function openCircuitReadyToProbe() {
    const sql = database().sql;
    for (let i = 0; i < settings.failures; i++) await recordFailure(sql, "flaky-system", {}, settings);
    await new Promise((r) => setTimeout(r, settings.probeMs + 50));
  }

  /** Makes the circuit's release (held deliveries moved on) fail with a deadlock, `times` times (0: always). */
  async function releaseDeadlocks(times: number) {
    const sql = database().sql;
    // A sequence counts the runs: nextval survives the rollback the raised deadlock causes.
    await sql`drop sequence if exists test_deadlocks`;
    await sql`create sequence test_deadlocks`;
    await sql.unsafe(`
      create or replace function test_release_deadlock() returns trigger language plpgsql as $$
      declare run bigint := nextval('test_deadlocks');
      begin
        if ${times} = 0 or run <= ${times} then
          raise exception 'deadlock detected (test)' using errcode = '40P01';
        end if;
        return new;
      end $$`);
    await sql`drop trigger if exists test_release_deadlock on deliveries`;
    await sql`create trigger test_release_deadlock before update on deliveries for each row
      when (old.held_since is not null and new.held_since is null and old.status = 'pending') execute function test_release_deadlock()`;
    return {
      fired: async () => Number((await sql<{ n: string }[]>`select (case when is_called then last_value else 0 end)::text as n from test_deadlocks`)[0]!.n),
      remove: () => sql`drop trigger if exists test_release_deadlock on deliveries`,
    };
  }

  /**
   * A probe about to close flaky-system's circuit, with one delivery held behind it, while the
   * circuit's release deadlocks `times` times (0: always); `check` runs, then the trigger goes.
   */
  async function probeWhileReleaseDeadlocks(times: number, check: (probe: { id: string; number: string }, held: { id: string }, fired: () => Promise<number>) => Promise<void>) {
    const sql = database().sql;
    const [held, probe] = await deliveries(2, "invoice-to-flaky");
    await openCircuitReadyToProbe();
    await sql`update deliveries set held_since = now() where id = ${held!.id}`;
    const trigger = await releaseDeadlocks(times);
    try {
      await check(probe!, held!, trigger.fired);
      expect(flaky.received.filter((r) => r.body.invoiceNumber === probe!.number)).toHaveLength(1);
    } finally {
      await trigger.remove();
    }
  }

  it("a release that loses a deadlock runs again; the probe is settled once", async () => {
    const sql = database().sql;
    await probeWhileReleaseDeadlocks(1, async (probe, held, fired) => {
      expect(await deliverOnce(sql, probe.id)).toMatchObject({ status: "succeeded", attempt: 1 });
      expect(await fired()).toBeGreaterThanOrEqual(2);
      const [row] = await sql<{ held_since: Date | null }[]>`select held_since from deliveries where id = ${held.id}`;
      expect(row!.held_since).toBeNull();
    });
  });

  it("when the release keeps failing, the job fails but its delivery is already settled: the re-run sends nothing", async () => {
    const sql = database().sql;
    await probeWhileReleaseDeadlocks(0, async (probe, _held, fired) => {
      await expect(deliverOnce(sql, probe.id)).rejects.toMatchObject({ code: "40P01" });
      expect(await fired()).toBe(CONFLICT_TRIES);
      const [row] = await sql<{ status: string; attempts: number }[]>`select status, attempts from deliveries where id = ${probe.id}`;
      expect(row).toEqual({ status: "succeeded", attempts: 1 });
      // graphile-worker runs the failed job again: it finds the delivery done.
      expect(await deliverOnce(sql, probe.id)).toMatchObject({ status: "skipped" });
    });
  });
});

describe("retryOnConflict", () => {
  it("runs again on a deadlock or serialization failure only, at most CONFLICT_TRIES times", async () => {
    const codes = ["40P01", "40001", "40P01"];
    let runs = 0;
    expect(await retryOnConflict(async () => (runs++ < codes.length ? Promise.reject(Object.assign(new Error("x"), { code: codes[runs - 1] })) : "done"), () => 0)).toBe("done");
    expect(runs).toBe(4);
    runs = 0;
    await expect(retryOnConflict(() => (runs++, Promise.reject(Object.assign(new Error("always"), { code: "40P01" }))), () => 0)).rejects.toThrow("always");
    expect(runs).toBe(CONFLICT_TRIES);
    runs = 0;
    await expect(retryOnConflict(() => (runs++, Promise.reject(Object.assign(new Error("bad data"), { code: "23502" }))), () => 0)).rejects.toThrow("bad data");
    expect(runs).toBe(1);
    expect(isConflict({ code: "40001" })).toBe(true);
    expect(isConflict(new Error("plain"))).toBe(false);
  });
});
