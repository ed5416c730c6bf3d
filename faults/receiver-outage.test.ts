/**
 * A receiver down for a maintenance window while events keep coming (issue 18), on the real
 * launcher as a worker process: invoices are approved every 400 ms throughout; the receiver answers
 * 503 to everything for a minute (the "few minutes", shortened like the schedule and the
 * probe interval, by configuration), then recovers. The connection's circuit must open after a few
 * failures so the receiver sees only a bounded number of requests while down, hold what comes
 * meanwhile without spending attempts, and release it within a probe interval of recovery: nothing
 * reaches the Failed Queue and each delivery arrives exactly once per Idempotency-Key.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { WORKER_CONCURRENCY } from "@/server/jobs/runner";
import { waitForDeliveries } from "@/server/outgoing/manual-send";
import { invoiceEventFlow, publish } from "@/server/outgoing/testing-receiver";
import { insertRecord, transitionRecord } from "@/server/records/store";
import { OUTAGE_CIRCUIT, startOutageWorker, useFaultFixture } from "./harness";

const UP_BEFORE_MS = 4_000;
const DOWN_MS = 60_000;
const UP_AFTER_MS = 4_000;
const EVENT_EVERY_MS = 400;
const { failures: FAILURES_TO_OPEN, probeMs: PROBE_MS } = OUTAGE_CIRCUIT;

const fixture = useFaultFixture("outage");

describe("a receiver down for a while as events keep coming", () => {
  it("holds deliveries behind an open circuit, probes, and delivers everything once after recovery", async () => {
    const { sql } = fixture.database();
    const { worker, receiver } = await startOutageWorker(fixture);
    // The seed's invoice flow on the default schedule's shape, in seconds instead of hours.
    const flow = invoiceEventFlow();
    const send = flow.nodes.find((n) => n.type === "send")!.config as Record<string, unknown>;
    Object.assign(send, { timeoutMs: 2_000, retry: { maxAttempts: 8, backoff: "schedule", scheduleMs: [1_000, 2_000, 4_000, 8_000, 15_000, 30_000, 60_000] } });
    await publish(sql, flow);

    let approving = true;
    let approved = 0;
    const approver = (async () => {
      while (approving) {
        const { record } = await insertRecord(sql, "Invoice", {
          Invoice_No: `INV/O/${approved}-${randomBytes(3).toString("hex")}`,
          Invoice_Date: "2025-12-12",
          Total_Amount: 1000 + approved,
          Client_Name: "ABC Infrastructure",
          Project_Code: "PRJ-102",
          GST_No: "27ABCDE1234F1Z5",
        });
        await transitionRecord(sql, "Invoice", record.recordId, "approved");
        approved++;
        await new Promise((r) => setTimeout(r, EVENT_EVERY_MS));
      }
    })();
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

    await sleep(UP_BEFORE_MS);
    receiver.mode = "unavailable";
    const downAt = Date.now();
    await sleep(DOWN_MS);
    const circuitWhileDown = await sql<{ state: string; held: number }[]>`
      select c.state, (select count(*)::int from deliveries d where d.connection_name = c.connection_name and d.status = 'pending' and d.held_since is not null) as held
      from connection_circuits c where c.connection_name = 'accounting-system'`;
    receiver.mode = "ok";
    const upAt = Date.now();
    await sleep(UP_AFTER_MS);
    approving = false;
    await approver;

    const ids = (await sql<{ id: string }[]>`select id from deliveries where flow_slug = 'invoice-to-accounting'`).map((r) => r.id);
    expect(ids).toHaveLength(approved);
    const { done, deliveries } = await waitForDeliveries(sql, ids, 60_000, 100);
    const whileDown = receiver.received.filter((r) => r.status === 503);
    // Held deliveries: those approved while the receiver was down. When did each arrive?
    const lastArrival = Math.max(...receiver.received.filter((r) => r.status === 200 && r.at >= upAt).map((r) => r.at));
    const arrivedWithinMs = lastArrival - upAt;
    const [{ failedQueue } = { failedQueue: -1 }] = await sql<{ failedQueue: number }[]>`
      select count(*)::int as "failedQueue" from deliveries where flow_slug = 'invoice-to-accounting' and status in ('failed', 'discarded')`;
    const probes = await sql<{ count: number }[]>`
      select count(*)::int from executions where direction = 'outgoing' and (response->>'circuitProbe')::boolean`;
    const bound = FAILURES_TO_OPEN + WORKER_CONCURRENCY + Math.ceil(DOWN_MS / PROBE_MS) + 1;
    console.log(
      `receiver outage: ${approved} events (${ids.length} deliveries) over ${UP_BEFORE_MS + DOWN_MS + UP_AFTER_MS} ms; circuit while down ` +
        `${JSON.stringify(circuitWhileDown)}; receiver saw ${whileDown.length} requests in ${DOWN_MS} ms down (bound ${bound}; ` +
        `${probes[0]?.count ?? 0} probes logged); all held deliveries arrived ${arrivedWithinMs} ms after recovery; Failed Queue ${failedQueue}; ` +
        `down for ${upAt - downAt} ms`,
    );

    expect(done).toBe(true);
    expect(deliveries.every((d) => d.status === "succeeded")).toBe(true);
    expect(failedQueue).toBe(0);
    expect(circuitWhileDown[0]?.state).toMatch(/^(open|half_open)$/);
    expect(circuitWhileDown[0]!.held).toBeGreaterThan(10);
    // Without the circuit every delivery retries on its own: ~150 events × several attempts each.
    expect(whileDown.length).toBeLessThanOrEqual(bound);
    expect(arrivedWithinMs).toBeLessThanOrEqual(PROBE_MS + 1_000 + 6_000);

    // Exactly once per Idempotency-Key: one 200 per delivery, every delivery's key among them.
    const accepted = receiver.received.filter((r) => r.status === 200);
    const perKey = new Map<string, number>();
    for (const r of accepted) perKey.set(r.key, (perKey.get(r.key) ?? 0) + 1);
    const twice = [...perKey].filter(([, n]) => n !== 1);
    if (twice.length > 0) {
      // What each side saw of a key accepted twice: the receiver's requests and our logged attempts.
      const deliveryIdsTwice = twice.map(([key]) => key.replace(/:send$/, ""));
      const attempts = await sql`
        select delivery_id, attempts, started_at, status, http_status, error_code, error_message, duration_ms
        from executions where delivery_id = any(${deliveryIdsTwice}::uuid[]) order by delivery_id, started_at`;
      console.log("keys accepted twice:", JSON.stringify({ receiver: receiver.received.filter((r) => perKey.get(r.key)! > 1).map(({ key, at, status }) => ({ key, at: new Date(at).toISOString(), status })), attempts }, null, 1));
      console.log("worker warnings and errors:\n" + worker.output().split("\n").filter((l) => /"level":(40|50|60)/.test(l)).slice(-40).join("\n"));
    }
    expect(twice, "Idempotency-Keys accepted more than once").toEqual([]);
    // Statements that update several deliveries lock them in id order: no job failed on a deadlock
    // (the release after recovery updates every held row while claims and settles run).
    expect(worker.output().split("\n").filter((l) => l.includes("deadlock detected")), "jobs failed on a deadlock").toEqual([]);
    expect(new Set(accepted.map((r) => r.key))).toEqual(new Set(ids.map((id) => `${id}:send`)));
    await worker.stop();
  });
});
