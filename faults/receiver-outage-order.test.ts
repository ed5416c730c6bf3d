/**
 * Order per record through a receiver outage (issue 18), on the real launcher as a worker process:
 * a flow ordered per record sends every update of a few invoices, which keep being updated (several
 * events per record) before, during and after a window in which the receiver answers 503 to
 * everything. The retry schedule is the connection's own (`connections set --retry-schedule`), in
 * seconds instead of hours. The receiver checks that each record's deliveries arrive in event
 * order (no request for a later one before the earlier one was accepted), each exactly once per
 * Idempotency-Key, nothing in the Failed Queue, a bounded number of requests while down, and the
 * held deliveries delivered soon after recovery.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { WORKER_CONCURRENCY } from "@/server/jobs/runner";
import { waitForDeliveries } from "@/server/outgoing/manual-send";
import { invoiceEventFlow, publish } from "@/server/outgoing/testing-receiver";
import { insertRecord, upsertRecord } from "@/server/records/store";
import { OUTAGE_CIRCUIT, startOutageWorker, useFaultFixture } from "./harness";

const RECORDS = 4;
const UP_BEFORE_MS = 4_000;
const DOWN_MS = 30_000;
const UP_AFTER_MS = 3_000;
const EVENT_EVERY_MS = 300;
const { failures: FAILURES_TO_OPEN, probeMs: PROBE_MS } = OUTAGE_CIRCUIT;

const fixture = useFaultFixture("outage-order");

describe("order per record through a receiver outage", () => {
  it("delivers each record's updates one at a time in event order, once each, nothing failed", async () => {
    const { sql } = fixture.database();
    // The connection's own schedule, the default's shape in seconds; the flow sets none.
    const { worker, receiver } = await startOutageWorker(fixture, {
      connection: { retryScheduleMs: [1_000, 2_000, 4_000, 8_000, 15_000, 30_000, 60_000], maxAttempts: 8 },
    });
    const flow = invoiceEventFlow();
    flow.slug = "invoice-updates-in-order";
    flow.name = "Invoice updates in order";
    flow.options = { ...flow.options, order: "per-record" };
    flow.nodes.find((n) => n.type === "trigger.event")!.config = { entity: "Invoice", event: "updated" };
    const send = flow.nodes.find((n) => n.type === "send")!.config as Record<string, unknown>;
    delete send.retry;
    send.timeoutMs = 2_000;
    await publish(sql, flow);

    const numbers: string[] = [];
    for (let i = 0; i < RECORDS; i++) {
      const number = `INV/OO/${i}-${randomBytes(3).toString("hex")}`;
      await insertRecord(sql, "Invoice", {
        Invoice_No: number,
        Invoice_Date: "2025-12-12",
        Total_Amount: 1,
        Client_Name: "ABC Infrastructure",
        Project_Code: "PRJ-102",
        GST_No: "27ABCDE1234F1Z5",
      });
      numbers.push(number);
    }

    let updating = true;
    let updates = 0;
    const updater = (async () => {
      while (updating) {
        // Round robin: every record gets an update every RECORDS × EVENT_EVERY_MS.
        await upsertRecord(sql, "Invoice", "Invoice_No", { Invoice_No: numbers[updates % RECORDS]!, Total_Amount: 2 + updates });
        updates++;
        await new Promise((r) => setTimeout(r, EVENT_EVERY_MS));
      }
    })();
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

    await sleep(UP_BEFORE_MS);
    receiver.mode = "unavailable";
    const downAt = Date.now();
    await sleep(DOWN_MS);
    const [waiting] = await sql<{ held: number; behind: number }[]>`
      select count(*) filter (where held_since is not null)::int as held, count(*) filter (where waiting_for is not null)::int as behind
      from deliveries where flow_slug = 'invoice-updates-in-order' and status = 'pending'`;
    receiver.mode = "ok";
    const upAt = Date.now();
    await sleep(UP_AFTER_MS);
    updating = false;
    await updater;

    const rows = await sql<{ id: string; record_id: string; order_seq: string }[]>`
      select id, record_id, order_seq::text from deliveries where flow_slug = 'invoice-updates-in-order' order by order_seq`;
    expect(rows).toHaveLength(updates); // one delivery per update event
    const ids = rows.map((r) => r.id);
    const { done, deliveries } = await waitForDeliveries(sql, ids, 90_000, 100);
    const settledAt = Date.now();
    const [{ failedQueue } = { failedQueue: -1 }] = await sql<{ failedQueue: number }[]>`
      select count(*)::int as "failedQueue" from deliveries where flow_slug = 'invoice-updates-in-order' and status in ('failed', 'discarded')`;

    // What the receiver saw, per record, in arrival order.
    const byKey = new Map(rows.map((r) => [`${r.id}:send`, r]));
    const requests = receiver.received.filter((r) => byKey.has(r.key));
    const whileDown = requests.filter((r) => r.status === 503).length;
    const accepted = requests.filter((r) => r.status === 200);
    const heldArrivedWithinMs = Math.max(...accepted.filter((r) => r.at >= upAt).map((r) => r.at)) - upAt;
    const outOfOrder: string[] = [];
    const byRecord = new Map<string, (typeof rows)[number][]>();
    for (const row of rows) byRecord.set(row.record_id, [...(byRecord.get(row.record_id) ?? []), row]);
    for (const recordRows of byRecord.values()) {
      const seqs = recordRows.map((r) => BigInt(r.order_seq));
      const acceptedAt = new Map(accepted.map((r) => [r.key, r.at]));
      for (const r of requests) {
        const own = byKey.get(r.key)!;
        if (!recordRows.includes(own)) continue;
        // Every earlier delivery of this record was accepted before this request arrived.
        for (const [i, earlier] of recordRows.entries()) {
          if (seqs[i]! >= BigInt(own.order_seq)) break;
          const at = acceptedAt.get(`${earlier.id}:send`);
          if (at === undefined || at > r.at) outOfOrder.push(`${own.record_id}: ${own.id} sent before ${earlier.id} was accepted`);
        }
      }
    }
    const perKey = new Map<string, number>();
    for (const r of accepted) perKey.set(r.key, (perKey.get(r.key) ?? 0) + 1);
    const bound = FAILURES_TO_OPEN + WORKER_CONCURRENCY + Math.ceil(DOWN_MS / PROBE_MS) + 1;
    console.log(
      `receiver outage, order per record: ${updates} updates of ${RECORDS} invoices; ${waiting?.held ?? 0} held and ${waiting?.behind ?? 0} waiting behind ` +
        `an earlier one at the end of the outage; receiver saw ${whileDown} requests in ${upAt - downAt} ms down (bound ${bound}); ` +
        `${accepted.length} accepted, ${outOfOrder.length} out of order; held deliveries all arrived ${heldArrivedWithinMs} ms after recovery ` +
        `(all settled ${settledAt - upAt} ms after); Failed Queue ${failedQueue}`,
    );

    expect(done).toBe(true);
    expect(deliveries.every((d) => d.status === "succeeded")).toBe(true);
    expect(failedQueue).toBe(0);
    expect(outOfOrder).toEqual([]);
    // Exactly once per Idempotency-Key: one 200 per delivery, every delivery's key among them.
    expect([...perKey.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(accepted.map((r) => r.key))).toEqual(new Set(ids.map((id) => `${id}:send`)));
    expect(whileDown).toBeLessThanOrEqual(bound);
    expect((waiting?.held ?? 0) + (waiting?.behind ?? 0)).toBeGreaterThan(RECORDS);
    // One probe interval, plus a few seconds for each record's line to drain one at a time.
    expect(heldArrivedWithinMs).toBeLessThanOrEqual(PROBE_MS + 1_000 + 8_000);
    await worker.stop();
  });
});
