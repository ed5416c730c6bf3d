import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/server/env";
import { getExecution } from "@/server/logs/query";
import { getRecord, insertRecord } from "@/server/records/store";
import { useTestDatabase } from "../testing/database";
import { setConnection } from "./connections";
import { ATTEMPTS_IN_FLIGHT } from "./attempt-slots";
import { deliverAttempts, deliverOnce } from "./deliver";
import { discardDeliveries } from "./failed-queue";
import { sendRecords } from "./manual-send";
import { dueSchedules } from "./schedules";
import { invoiceManualFlow, invoiceScheduleFlow, publish, startAccountingReceiver, variantOf, type Receiver } from "./testing-receiver";

vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
resetEnvForTests();

// No worker here: attempts are run by calling deliverOnce, as the job would.
const database = useTestDatabase();
let receiver: Receiver;

beforeAll(async () => {
  const { sql } = database();
  receiver = await startAccountingReceiver(sql);
  await publish(sql, invoiceManualFlow());
  const noQueue = invoiceManualFlow();
  noQueue.slug = "invoice-no-failed-queue";
  noQueue.options = { ...noQueue.options, failedQueue: false };
  await publish(sql, noQueue);
  await publish(sql, invoiceScheduleFlow());
  await publish(sql, variantOf(invoiceManualFlow(), "invoice-conflict-ok", { conflictMeansDelivered: true }));
});

afterAll(async () => {
  await receiver?.close();
});

async function invoice(data: Record<string, unknown> = {}) {
  const number = `INV/D/${randomBytes(3).toString("hex")}`;
  const { record } = await insertRecord(database().sql, "Invoice", { Invoice_No: number, Invoice_Date: "2025-12-12", Total_Amount: 100, ...data });
  return { number, recordId: record.recordId };
}

/** Each attempt's log entry: the id sent as x-request-id, and the retry eligibility kept with the answer. */
const logsOf = async (id: string) =>
  database().sql<{ id: string; attempts: number; request_id: string | null; request: { headers: Record<string, string> }; response: { status?: number; retryable: boolean | null; nextAttemptAt: string | null } }[]>`
    select id, attempts, request_id, request, response from executions where delivery_id = ${id} order by attempts`;

const status = async (id: string) =>
  (await database().sql<{ status: string; attempts: number; discard_reason: string | null; last_error_code: string | null }[]>`
    select status, attempts, discard_reason, last_error_code from deliveries where id = ${id}`)[0]!;

describe("one delivery attempt", () => {
  it("resumes an attempt a dead worker left `delivering`, with the same Idempotency-Key, and skips finished deliveries", async () => {
    const sql = database().sql;
    const { number, recordId } = await invoice();
    const [id] = await sendRecords(sql, { entity: "Invoice", recordIds: [recordId], flowSlug: "invoice-manual-push" });
    // The worker claimed the delivery, then died before its attempt committed.
    await sql`update deliveries set status = 'delivering' where id = ${id!}`;
    const outcome = await deliverOnce(sql, id!);
    expect(outcome).toMatchObject({ status: "succeeded", attempt: 1 });
    expect(await deliverOnce(sql, id!)).toEqual({ deliveryId: id, status: "skipped" });
    const sent = receiver.received.filter((r) => r.body.invoiceNumber === number);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.headers["idempotency-key"]).toBe(`${id}:send`);
    expect(await sql`select 1 from executions where delivery_id = ${id!}`).toHaveLength(1);
  });

  it("lets only one of two runs of the same delivery settle it, the other leaving no trace", async () => {
    const sql = database().sql;
    const { number, recordId } = await invoice();
    const [id] = await sendRecords(sql, { entity: "Invoice", recordIds: [recordId], flowSlug: "invoice-manual-push" });
    // Nothing holds the delivery while it sends: a second run (a job unlocked from a worker wrongly
    // thought dead) can claim and settle it meanwhile. The receiver may see both requests, with
    // the same Idempotency-Key; the delivery counts one attempt and logs one.
    let inner: Awaited<ReturnType<typeof deliverOnce>> | undefined;
    const outer = await deliverOnce(sql, id!, {
      send: async () => {
        inner = await deliverOnce(sql, id!);
        return { status: 200, headers: { "content-type": "application/json" }, body: { referenceId: "ACC-OUTER" } };
      },
    });
    expect(inner).toMatchObject({ status: "succeeded", attempt: 1 });
    expect(outer).toEqual({ deliveryId: id, status: "skipped" });
    expect(await status(id!)).toMatchObject({ status: "succeeded", attempts: 1 });
    const logs = await logsOf(id!);
    expect(logs).toHaveLength(1);
    expect((await getRecord(sql, "Invoice", recordId))!.data.Accounting_Ref).toBe(`ACC-${number}`);
  });

  it("keeps the reference on the record and the attempt's trace in the log, each payload stored once", async () => {
    const sql = database().sql;
    const { number, recordId } = await invoice();
    const [id] = await sendRecords(sql, { entity: "Invoice", recordIds: [recordId], flowSlug: "invoice-manual-push" });
    const outcome = await deliverOnce(sql, id!);
    expect(outcome).toMatchObject({ status: "succeeded", attempt: 1 });
    // The reference field and the per-flow reference commit with the log row and the delivery's state.
    const [record] = await sql<{ ref: string; external: string; same_tx: boolean }[]>`
      select r.data ->> 'Accounting_Ref' as ref, r.external_refs ->> 'invoice-manual-push' as external,
             r.xmin = d.xmin and d.xmin = e.xmin as same_tx
      from records r, deliveries d, executions e
      where r.entity = 'Invoice' and r.record_id = ${recordId} and d.id = ${id!} and e.delivery_id = d.id`;
    expect(record).toEqual({ ref: `ACC-${number}`, external: `ACC-${number}`, same_tx: true });
    // Stored compact (each node's input is the previous output: written once), read back whole.
    const [stored] = await sql<{ trace: { nodeId: string; inputFrom?: string; input?: unknown }[] }[]>`
      select trace from executions where id = ${outcome.executionId!}::uuid`;
    expect(stored!.trace.find((t) => t.nodeId === "send")).toMatchObject({ inputFrom: "auth" });
    expect(stored!.trace.find((t) => t.nodeId === "send")).not.toHaveProperty("input");
    // Node names and types are the flow version's: not stored, restored on read.
    expect(stored!.trace.some((t) => "type" in t || "name" in t)).toBe(false);
    const detail = await getExecution(sql, outcome.executionId!);
    const send = detail!.trace.find((t) => t.nodeId === "send")!;
    expect(send.input).toMatchObject({ invoiceNumber: number, amount: 100 });
    expect(send.output).toMatchObject({ status: 200, referenceId: `ACC-${number}` });
    expect(detail!.trace.map((t) => t.type)).toEqual(["trigger.manual", "map", "validate", "auth", "send"]);
    expect(send.name).toBeTruthy();
  });

  /** One delivery per [recordId, flowSlug], each queued as "Send to API" would. */
  const queued = (sends: [string, string][]) =>
    Promise.all(sends.map(([recordId, flowSlug]) => sendRecords(database().sql, { entity: "Invoice", recordIds: [recordId], flowSlug }).then(([id]) => id!)));

  /** Runs `ids` side by side, every answer arriving at the same moment; `first` runs in the first one's send before that. */
  async function deliverTogether(ids: string[], first?: (id: string) => Promise<unknown>) {
    let waiting = 0;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    return Promise.all(
      ids.map((id, i) =>
        deliverOnce(database().sql, id, {
          send: async () => {
            if (i === 0 && first) await first(id);
            if (++waiting === ids.length) open();
            await gate;
            // With the address it went to, as the real sender answers (else the log looks the connection up).
            return { status: 200, headers: { "content-type": "application/json" }, body: { referenceId: `ACC-TOGETHER-${i}` }, url: `${receiver.url}/together` };
          },
        }),
      ),
    );
  }

  const threeInvoices = async () => {
    const invoices = await Promise.all([invoice(), invoice(), invoice()]);
    return { invoices, ids: await queued(invoices.map(({ recordId }) => [recordId, "invoice-manual-push"])) };
  };

  it("settles attempts that finish together in one transaction", async () => {
    const sql = database().sql;
    const { invoices, ids } = await threeInvoices();
    const outcomes = await deliverTogether(ids);
    expect(outcomes.map((o) => o.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    const rows = await sql<{ xmin: string }[]>`select xmin::text from deliveries where id = any(${ids}::uuid[])`;
    expect(new Set(rows.map((r) => r.xmin)).size).toBe(1);
    for (const [i, { recordId }] of invoices.entries()) {
      expect((await getRecord(sql, "Invoice", recordId))!.data.Accounting_Ref).toBe(`ACC-TOGETHER-${i}`);
      expect(await logsOf(ids[i]!)).toHaveLength(1);
    }
  });

  it("keeps each flow's reference when two deliveries of one record settle together", async () => {
    const sql = database().sql;
    const { recordId } = await invoice();
    const ids = await queued([
      [recordId, "invoice-manual-push"],
      [recordId, "invoice-conflict-ok"],
    ]);
    const outcomes = await deliverTogether(ids);
    expect(outcomes.map((o) => o.status)).toEqual(["succeeded", "succeeded"]);
    const [row] = await sql<{ refs: Record<string, string>; ref: string; xmins: number }[]>`
      select r.external_refs as refs, r.data ->> 'Accounting_Ref' as ref,
             (select count(distinct xmin::text)::int from deliveries where id = any(${ids}::uuid[])) as xmins
      from records r where r.entity = 'Invoice' and r.record_id = ${recordId}`;
    expect(row!.xmins).toBe(1);
    expect(row!.refs).toMatchObject({ "invoice-manual-push": "ACC-TOGETHER-0", "invoice-conflict-ok": "ACC-TOGETHER-1" });
    expect(["ACC-TOGETHER-0", "ACC-TOGETHER-1"]).toContain(row!.ref);
  });

  it("settles the others when one of the attempts finishing together was superseded", async () => {
    const sql = database().sql;
    let inner: Awaited<ReturnType<typeof deliverOnce>> | undefined;
    const { invoices, ids } = await threeInvoices();
    const outcomes = await deliverTogether(ids, async (id) => (inner = await deliverOnce(sql, id)));
    expect(inner).toMatchObject({ status: "succeeded", attempt: 1 });
    expect(outcomes.map((o) => o.status)).toEqual(["skipped", "succeeded", "succeeded"]);
    // The superseded run left nothing: one log row, the reference of the run that settled.
    expect(await logsOf(ids[0]!)).toHaveLength(1);
    expect((await getRecord(sql, "Invoice", invoices[0]!.recordId))!.data.Accounting_Ref).toBe(`ACC-${invoices[0]!.number}`);
    expect((await getRecord(sql, "Invoice", invoices[2]!.recordId))!.data.Accounting_Ref).toBe("ACC-TOGETHER-2");
    expect(await logsOf(ids[2]!)).toHaveLength(1);
  });

  it("runs a job of first attempts again after a crash without sending what already settled or waits for its retry", async () => {
    const sql = database().sql;
    const { invoices, ids } = await threeInvoices();
    receiver.script(invoices[1]!.number, [{ status: 503 }]);
    // The job's first run: two attempts settled (one succeeded, one failed and its retry is
    // scheduled), then the worker died before the third.
    expect(await deliverOnce(sql, ids[0]!)).toMatchObject({ status: "succeeded" });
    expect(await deliverOnce(sql, ids[1]!, { random: () => 1 })).toMatchObject({ status: "pending", attempt: 1 });
    const sentBefore = receiver.received.length;
    const outcomes = await deliverAttempts(sql, ids, { firstAttemptOnly: true });
    expect(outcomes.map((o) => o.status)).toEqual(["skipped", "skipped", "succeeded"]);
    const sent = receiver.received.slice(sentBefore).map((r) => r.body.invoiceNumber);
    expect(sent).toEqual([invoices[2]!.number]);
    expect(await status(ids[1]!)).toMatchObject({ status: "pending", attempts: 1 });
  });

  it("runs at most ATTEMPTS_IN_FLIGHT attempts at once, however many a job carries", async () => {
    const sql = database().sql;
    const invoices = await Promise.all(Array.from({ length: ATTEMPTS_IN_FLIGHT + 4 }, () => invoice()));
    const ids = await queued(invoices.map(({ recordId }) => [recordId, "invoice-manual-push"]));
    let inFlight = 0;
    let most = 0;
    const outcomes = await deliverAttempts(sql, ids, {
      firstAttemptOnly: true,
      send: async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 30));
        inFlight--;
        return { status: 200, headers: {}, body: { referenceId: "ACC-SLOT" }, url: `${receiver.url}/slot` };
      },
    });
    expect(outcomes.every((o) => o.status === "succeeded")).toBe(true);
    expect(most).toBe(ATTEMPTS_IN_FLIGHT);
  });

  it("fails without sending when the mapped data does not validate (not retryable)", async () => {
    const sql = database().sql;
    // The store refuses such a record now (the entity contract); one written before it still gets here.
    const { number, recordId } = await invoice();
    await sql`update records set data = data || '{"Total_Amount": "a lot"}' where entity = 'Invoice' and record_id = ${recordId}`;
    const [id] = await sendRecords(sql, { entity: "Invoice", recordIds: [recordId], flowSlug: "invoice-manual-push" });
    expect(await deliverOnce(sql, id!)).toMatchObject({ status: "failed", attempt: 1 });
    expect(await status(id!)).toMatchObject({ status: "failed", last_error_code: "INVALID_TYPE" });
    expect(receiver.received.some((r) => r.body.invoiceNumber === number)).toBe(false);
    const [log] = await sql<{ status: string; http_status: number | null }[]>`select status, http_status from executions where delivery_id = ${id!}`;
    expect(log).toEqual({ status: "FAILED", http_status: null });
  });

  it("discards a failure when the flow's Failed Queue is off", async () => {
    const sql = database().sql;
    const { number, recordId } = await invoice();
    receiver.script(number, [{ status: 422 }]);
    const [id] = await sendRecords(sql, { entity: "Invoice", recordIds: [recordId], flowSlug: "invoice-no-failed-queue" });
    expect(await deliverOnce(sql, id!)).toMatchObject({ status: "discarded" });
    expect(await status(id!)).toMatchObject({ status: "discarded", discard_reason: "failed queue disabled" });
    // A 422 will not get better: the log says so, and that no attempt follows.
    expect((await logsOf(id!))[0]!.response).toMatchObject({ status: 422, retryable: false, nextAttemptAt: null });
  });

  it("queues the next attempt of a retryable failure at its backoff time", async () => {
    const sql = database().sql;
    const { number, recordId } = await invoice();
    receiver.script(number, [{ status: 502 }]);
    const [id] = await sendRecords(sql, { entity: "Invoice", recordIds: [recordId], flowSlug: "invoice-manual-push" });
    const outcome = await deliverOnce(sql, id!, { random: () => 1 });
    expect(outcome).toMatchObject({ status: "pending", attempt: 1 });
    const [job] = await sql<{ run_at: Date; key: string }[]>`
      select run_at, key from graphile_worker._private_jobs where key = ${`delivery:${id}`}`;
    expect(job!.run_at.getTime()).toBe(outcome.nextAttemptAt!.getTime());
    expect(await deliverOnce(sql, id!)).toMatchObject({ status: "succeeded", attempt: 2 });

    const [first, second] = await logsOf(id!);
    expect(first!.response).toMatchObject({ status: 502, retryable: true, nextAttemptAt: outcome.nextAttemptAt!.toISOString() });
    expect(second!.response).toMatchObject({ status: 200, retryable: null, nextAttemptAt: null });
    // x-request-id names the attempt (its log entry); the Idempotency-Key names the delivery.
    const sent = receiver.received.filter((r) => r.body.invoiceNumber === number);
    expect(sent.map((r) => r.headers["x-request-id"])).toEqual([first!.id, second!.id]);
    expect(first!.id).not.toBe(second!.id);
    expect(sent.map((r) => r.headers["idempotency-key"])).toEqual([`${id}:send`, `${id}:send`]);
    expect([first!.request_id, second!.request_id]).toEqual([first!.id, second!.id]);
    expect(first!.request.headers["x-request-id"]).toBe(first!.id);
  });

  it("ends retries at once when the receiver answers `webhook-delivery: abort-message`, even to a 503", async () => {
    const sql = database().sql;
    const { number, recordId } = await invoice();
    receiver.script(number, [{ status: 503, headers: { "Webhook-Delivery": "abort-message" } }]);
    const [id] = await sendRecords(sql, { entity: "Invoice", recordIds: [recordId], flowSlug: "invoice-manual-push" });
    expect(await deliverOnce(sql, id!)).toMatchObject({ status: "failed", attempt: 1 });
    expect(await status(id!)).toMatchObject({ status: "failed", attempts: 1 });
    expect((await logsOf(id!))[0]!.response).toMatchObject({ status: 503, retryable: false, nextAttemptAt: null });
    await discardDeliveries(sql, [id!], "test over", "test");
  });

  it("ends retries at once on a 4xx other than 408 and 429, and retries those two", async () => {
    const sql = database().sql;
    for (const [code, retried] of [[400, false], [404, false], [422, false], [408, true], [429, true]] as const) {
      const { number, recordId } = await invoice();
      receiver.script(number, [{ status: code }]);
      const [id] = await sendRecords(sql, { entity: "Invoice", recordIds: [recordId], flowSlug: "invoice-manual-push" });
      expect(await deliverOnce(sql, id!), `HTTP ${code}`).toMatchObject({ status: retried ? "pending" : "failed", attempt: 1 });
      expect((await logsOf(id!))[0]!.response, `HTTP ${code}`).toMatchObject({ status: code, retryable: retried });
      await discardDeliveries(sql, [id!], "test over", "test");
    }
  });

  it("logs a failure without an answer (network error) with its retry eligibility", async () => {
    const sql = database().sql;
    const { recordId } = await invoice();
    await setConnection(sql, { name: "accounting-system", baseUrl: "http://127.0.0.1:1", allowPrivate: true });
    try {
      const [id] = await sendRecords(sql, { entity: "Invoice", recordIds: [recordId], flowSlug: "invoice-manual-push" });
      const outcome = await deliverOnce(sql, id!);
      expect(outcome).toMatchObject({ status: "pending", attempt: 1 });
      const [log] = await logsOf(id!);
      expect(log!.response).toEqual({ retryable: true, nextAttemptAt: outcome.nextAttemptAt!.toISOString() });
      await discardDeliveries(sql, [id!], "test over", "test");
    } finally {
      await setConnection(sql, { name: "accounting-system", baseUrl: receiver.url, allowPrivate: true });
    }
  });

  it("counts a 409 as delivered when the send node says so, keeping its reference id", async () => {
    const sql = database().sql;
    const { number, recordId } = await invoice();
    receiver.script(number, [{ status: 409, body: { status: "error", errorCode: "DUPLICATE", referenceId: "ACC-SEEN" } }]);
    const [id] = await sendRecords(sql, { entity: "Invoice", recordIds: [recordId], flowSlug: "invoice-conflict-ok" });
    expect(await deliverOnce(sql, id!)).toMatchObject({ status: "succeeded", attempt: 1 });
    const [row] = await sql<{ status: string; reference_id: string | null; last_http_status: number | null }[]>`
      select status, reference_id, last_http_status from deliveries where id = ${id!}`;
    expect(row).toEqual({ status: "succeeded", reference_id: "ACC-SEEN", last_http_status: 409 });
    expect((await getRecord(sql, "Invoice", recordId))!.externalRefs["invoice-conflict-ok"]).toBe("ACC-SEEN");
    const [log] = await logsOf(id!);
    expect(log).toMatchObject({ attempts: 1, response: { status: 409, retryable: null, nextAttemptAt: null } });
  });

  it("logs the receiver's answer without the secrets in its headers", async () => {
    const sql = database().sql;
    const { number, recordId } = await invoice();
    receiver.script(number, [{ status: 201, headers: { "Set-Cookie": "session=s3cr3t-cookie", "X-Trace": "t-1" }, body: { referenceId: "ACC-HDR" } }]);
    const [id] = await sendRecords(sql, { entity: "Invoice", recordIds: [recordId], flowSlug: "invoice-manual-push" });
    expect(await deliverOnce(sql, id!)).toMatchObject({ status: "succeeded" });
    const [log] = await sql<{ response: { headers: Record<string, string> } }[]>`select response from executions where delivery_id = ${id!}`;
    expect(log!.response.headers["x-trace"]).toBe("t-1");
    expect(log!.response.headers["set-cookie"]).toBe("[redacted]");
    expect(JSON.stringify(log)).not.toContain("s3cr3t-cookie");
  });

  it("knows which schedule flows are due in their time zone", async () => {
    const sql = database().sql;
    expect(await dueSchedules(sql, new Date("2025-12-12T18:00:00Z"))).toEqual(["invoice-schedule-push"]);
    expect(await dueSchedules(sql, new Date("2025-12-12T18:01:00Z"))).toEqual([]);
  });
});
