/**
 * Exactly once under races (issue 18): two graphile-worker jobs can exist for one delivery (add_job
 * with a job key, asked while that key's job is locked, adds a second one: a circuit's release or
 * an order wake-up racing the delivery's own job). Real jobs in graphile_worker, locked as a worker
 * locks them, a real receiver counting requests; attempts run as the deliver-outgoing task runs them.
 */
import { randomBytes } from "node:crypto";
import type { ReservedSql } from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/server/env";
import { insertRecord } from "@/server/records/store";
import { useTestDatabase } from "../testing/database";
import { releaseWaiting } from "./circuit";
import { claimDeliveries } from "./claim-delivery";
import { BUSY_CHECK_BACK_MS, deliverOnce } from "./deliver";
import { queueDeliveryJob } from "./dispatch";
import { sendRecords } from "./manual-send";
import { invoiceManualFlow, publish, startAccountingReceiver, type Receiver } from "./testing-receiver";

vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
resetEnvForTests();

const database = useTestDatabase();
let receiver: Receiver;

beforeAll(async () => {
  const { sql } = database();
  receiver = await startAccountingReceiver(sql);
  await publish(sql, invoiceManualFlow());
});

afterAll(async () => {
  await receiver?.close();
});

/** A queued delivery of a fresh invoice, and its invoice number. */
async function delivery() {
  const sql = database().sql;
  const number = `INV/X/${randomBytes(3).toString("hex")}`;
  const { record } = await insertRecord(sql, "Invoice", { Invoice_No: number, Invoice_Date: "2025-12-12", Total_Amount: 10 });
  const [id] = await sendRecords(sql, { entity: "Invoice", recordIds: [record.recordId], flowSlug: "invoice-manual-push" });
  return { id: id!, number };
}

/** The delivery's deliver-outgoing jobs, oldest first. */
const jobsOf = (id: string) =>
  database().sql<{ id: string; key: string | null; locked: boolean; run_at: Date }[]>`
    select id::text, key, locked_at is not null as locked, run_at from graphile_worker._private_jobs
    where payload::jsonb ->> 'deliveryId' = ${id} or payload::jsonb -> 'deliveryIds' ? ${id} order by id`;

/** Locks jobs as a worker fetching them does (its local queue locks a batch before running any). */
const lock = (ids: string[]) => database().sql`update graphile_worker._private_jobs set locked_at = now(), locked_by = 'test-worker' where id = any(${ids}::bigint[])`;
/** What forceUnlockWorkers does for a worker found dead. */
const unlock = (ids: string[]) => database().sql`update graphile_worker._private_jobs set locked_at = null, locked_by = null where id = any(${ids}::bigint[])`;

const requestsFor = (number: string) => receiver.received.filter((r) => r.body.invoiceNumber === number);

/**
 * Another transaction that has done `hold` (locked or changed a delivery row) and stays open while
 * `during` runs: `claimWaits()` resolves once a claim statement waits on it, `commit()` ends it.
 */
async function whileHeld(hold: (tx: ReservedSql) => Promise<unknown>, during: (blocker: { claimWaits(): Promise<void>; commit(): Promise<void> }) => Promise<void>) {
  const sql = database().sql;
  const tx = await sql.reserve();
  try {
    await tx`begin`;
    await hold(tx);
    await during({
      claimWaits: () =>
        expect.poll(async () => (await sql`select 1 from pg_stat_activity where wait_event_type = 'Lock' and query like '%with asked as%'`).length, { timeout: 10_000 }).toBe(1),
      commit: async () => void (await tx`commit`),
    });
  } finally {
    await tx`rollback`.catch(() => undefined);
    tx.release();
  }
}

describe("exactly once when two jobs hold one delivery", () => {
  it("a job added for a delivery whose job is locked is a second job (graphile-worker's add_job)", async () => {
    const { id } = await delivery();
    await queueDeliveryJob(database().sql, id);
    const [keyed] = (await jobsOf(id)).filter((j) => j.key === `delivery:${id}`);
    await lock([keyed!.id]);
    await queueDeliveryJob(database().sql, id);
    const keyedNow = (await jobsOf(id)).filter((j) => j.key !== null || j.id === keyed!.id);
    expect(keyedNow).toHaveLength(2);
  });

  it("sends once when both jobs claim in the same tick of one worker", async () => {
    const sql = database().sql;
    const { id, number } = await delivery();
    await queueDeliveryJob(sql, id);
    const [first, second] = await jobsOf(id); // the first-attempts job and the keyed one
    await lock([first!.id, second!.id]);
    const outcomes = await Promise.all([deliverOnce(sql, id, { jobId: first!.id }), deliverOnce(sql, id, { jobId: second!.id })]);
    expect(outcomes.filter((o) => o.status === "succeeded")).toHaveLength(1);
    expect(outcomes.filter((o) => o.status !== "succeeded").map((o) => o.status)).toEqual([expect.stringMatching(/^(busy|skipped)$/)]);
    expect(requestsFor(number)).toHaveLength(1);
  });

  it("sends once when a circuit's release adds a job while the delivery's own job is about to send it", async () => {
    const sql = database().sql;
    const { id, number } = await delivery();
    // Held by an open circuit: pending, its keyed job due; a worker has fetched (locked) that job
    // and is about to run it when the probe succeeds elsewhere and the circuit releases what it held.
    await sql`update deliveries set held_since = now() where id = ${id}`;
    await sql`delete from graphile_worker._private_jobs where payload::jsonb -> 'deliveryIds' ? ${id}`;
    await queueDeliveryJob(sql, id);
    const [own] = await jobsOf(id);
    await lock([own!.id]);
    expect(await releaseWaiting(sql, "accounting-system")).toBeGreaterThanOrEqual(1);
    const added = (await jobsOf(id)).find((j) => j.id !== own!.id);
    expect(added).toBeDefined(); // the release could not move the locked job: a second one
    let inner: Awaited<ReturnType<typeof deliverOnce>> | undefined;
    const outer = await deliverOnce(sql, id, {
      jobId: own!.id,
      send: async (request) => {
        // The released job runs on another worker while this one sends.
        inner = await deliverOnce(sql, id, { jobId: added!.id });
        const res = await fetch(`${receiver.url}${request.path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request.body) });
        return { status: res.status, headers: { "content-type": "application/json" }, body: (await res.json()) as unknown };
      },
    });
    expect(outer).toMatchObject({ status: "succeeded", attempt: 1 });
    expect(inner).toMatchObject({ status: "busy" });
    expect(requestsFor(number)).toHaveLength(1);
  });

  it("lets another job take over as soon as the claiming job's worker is found dead (no lease to wait out)", async () => {
    const sql = database().sql;
    const { id, number } = await delivery();
    await queueDeliveryJob(sql, id);
    const [first, second] = await jobsOf(id);
    await lock([first!.id, second!.id]);
    let busy: Awaited<ReturnType<typeof deliverOnce>> | undefined;
    let takenOver: Awaited<ReturnType<typeof deliverOnce>> | undefined;
    // The first job claims and sends; while it hangs, the second finds it busy and checks back later.
    await deliverOnce(sql, id, {
      jobId: first!.id,
      now: () => new Date(),
      send: async () => {
        busy = await deliverOnce(sql, id, { jobId: second!.id });
        // The first job's worker dies here: forceUnlockWorkers releases its lock, and a job for
        // the delivery (the one queued to check back) claims it at once and sends.
        await unlock([first!.id]);
        const [checkBack] = (await jobsOf(id)).filter((j) => j.key === `delivery:${id}` && !j.locked);
        takenOver = await deliverOnce(sql, id, { jobId: checkBack?.id ?? second!.id });
        throw new Error("the dead worker's request never completes");
      },
    }).catch(() => undefined);
    expect(busy).toMatchObject({ status: "busy" });
    expect(busy!.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + BUSY_CHECK_BACK_MS - 5_000);
    expect(takenOver).toMatchObject({ status: "succeeded", attempt: 1 });
    expect(requestsFor(number)).toHaveLength(1);
  });

  it("a claim that waited on another row does not take a delivery another job claimed meanwhile (READ COMMITTED re-check)", async () => {
    // Seen in faults/receiver-outage as one Idempotency-Key accepted twice: a batched claim's
    // statement takes its snapshot, waits on a row another transaction holds (a circuit's release
    // updates every held row at once), and meanwhile a job it could not see yet is locked, claims
    // one of its deliveries and commits. PostgreSQL re-checks the waiting statement's condition on
    // the claimed row, but its "is the claiming job locked?" subquery still reads the old snapshot,
    // where that job was not locked (or did not exist): both jobs claimed, both sent.
    const sql = database().sql;
    const first = await delivery();
    let second = await delivery();
    while (second.id < first.id) second = await delivery(); // the statement locks rows in id order
    const [jobB] = await jobsOf(first.id);
    await whileHeld(
      (tx) => tx`select 1 from deliveries where id = ${first.id} for update`,
      async (blocker) => {
        const claimB = claimDeliveries(sql, [
          { id: first.id, jobId: jobB!.id },
          { id: second.id, jobId: jobB!.id },
        ]);
        await blocker.claimWaits();
        // Job A exists and is locked only now; it claims the second delivery and commits.
        await queueDeliveryJob(sql, second.id);
        const jobA = (await jobsOf(second.id)).find((j) => j.key === `delivery:${second.id}`)!;
        await lock([jobA.id]);
        expect((await claimDeliveries(sql, [{ id: second.id, jobId: jobA.id }])).map((r) => r.id)).toEqual([second.id]);
        await blocker.commit();
        expect((await claimB).map((r) => r.id)).toEqual([first.id]);
        const [row] = await sql<{ claimed_by_job: string }[]>`select claimed_by_job::text from deliveries where id = ${second.id}`;
        expect(row!.claimed_by_job).toBe(jobA.id);
      },
    );
  });

  it("still sends a pending delivery whose row another transaction changed while the claim waited", async () => {
    const sql = database().sql;
    const { id, number } = await delivery();
    const [job] = await jobsOf(id);
    await whileHeld(
      // A circuit's release moving the held delivery: a new row version, still pending.
      (tx) => tx`update deliveries set held_since = null, next_attempt_at = now(), updated_at = now() where id = ${id}`,
      async (blocker) => {
        const attempt = deliverOnce(sql, id, { jobId: job!.id });
        await blocker.claimWaits();
        await blocker.commit();
        // The claim is refused (the row's version moved) and asked again: sent once.
        expect(await attempt).toMatchObject({ status: "succeeded", attempt: 1 });
        expect(requestsFor(number)).toHaveLength(1);
      },
    );
  });

  it("lets the same job run again after its worker crashed reclaim what it was sending", async () => {
    const sql = database().sql;
    const { id, number } = await delivery();
    const [job] = await jobsOf(id);
    await lock([job!.id]);
    // The crashed run: claimed (delivering, by this job), never settled; the job, unlocked, runs again elsewhere.
    await sql`update deliveries set status = 'delivering', claimed_by_job = ${job!.id}::bigint where id = ${id}`;
    expect(await deliverOnce(sql, id, { jobId: job!.id })).toMatchObject({ status: "succeeded", attempt: 1 });
    expect(requestsFor(number)).toHaveLength(1);
  });
});
