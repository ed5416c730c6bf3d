import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/server/env";
import { startWorker, type WorkerHandle } from "@/server/jobs/runner";
import { getRecord, insertRecord, transitionRecord } from "@/server/records/store";
import { useTestDatabase } from "../testing/database";
import { discardDeliveries, listFailed, retryDeliveries } from "./failed-queue";
import { sendRecords, waitForDeliveries } from "./manual-send";
import { cronMatches, runSchedule, toGraphileCron } from "./schedules";
import { invoiceEventFlow, invoiceManualFlow, invoiceScheduleFlow, publish, startAccountingReceiver, type Receiver } from "./testing-receiver";

vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
resetEnvForTests();

const database = useTestDatabase();
let receiver: Receiver;
let worker: WorkerHandle;
let seq = 0;

beforeAll(async () => {
  const { sql, url } = database();
  receiver = await startAccountingReceiver(sql);
  await publish(sql, invoiceEventFlow());
  await publish(sql, invoiceManualFlow());
  await publish(sql, invoiceScheduleFlow());
  worker = await startWorker({ url, sql });
});

afterAll(async () => {
  await worker?.stop();
  await receiver?.close();
});

/** A draft invoice with a fresh number; `project` tags it for the schedule tests. */
async function newInvoice(project = "PRJ-102") {
  const number = `INV/T/${++seq}-${randomBytes(3).toString("hex")}`;
  const { record } = await insertRecord(database().sql, "Invoice", {
    Invoice_No: number,
    Invoice_Date: "2025-12-12",
    Total_Amount: 85000,
    Client_Name: "ABC Infrastructure",
    Project_Code: project,
    GST_No: "27ABCDE1234F1Z5",
  });
  return { number, recordId: record.recordId };
}

async function deliveriesOf(recordId: string, flowSlug = "invoice-to-accounting", timeoutMs = 15_000) {
  const sql = database().sql;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await sql<{ id: string }[]>`select id from deliveries where record_id = ${recordId} and flow_slug = ${flowSlug}`;
    if (rows.length > 0 || Date.now() > deadline) return rows.map((r) => r.id);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function approveAndWait(recordId: string, timeoutMs = 15_000) {
  await transitionRecord(database().sql, "Invoice", recordId, "approved");
  const ids = await deliveriesOf(recordId);
  expect(ids).toHaveLength(1);
  const { done, deliveries } = await waitForDeliveries(database().sql, ids, timeoutMs);
  expect(done).toBe(true);
  return deliveries[0]!;
}

const requestsFor = (number: string) => receiver.received.filter((r) => r.body.invoiceNumber === number);

async function attemptsOf(deliveryId: string) {
  return database().sql<{ attempts: number; status: string; http_status: number | null; request: { headers: Record<string, string>; body: unknown; url?: string }; direction: string; connection_name: string | null; reference_id: string | null }[]>`
    select attempts, status, http_status, request, direction, connection_name, reference_id from executions where delivery_id = ${deliveryId} order by attempts`;
}

describe("outgoing deliveries (the seed's §4)", () => {
  it("sends an approved invoice once, with the §4.3 body, an Idempotency-Key and the credential; logs it and keeps the reference id", async () => {
    const { number, recordId } = await newInvoice();
    const delivery = await approveAndWait(recordId);
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 1, referenceId: `ACC-${number}` });

    const sent = requestsFor(number);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.method).toBe("POST");
    expect(sent[0]!.url).toBe("/api/v1/receive-data");
    expect(sent[0]!.body).toEqual({
      invoiceNumber: number,
      invoiceDate: "2025-12-12",
      amount: 85000,
      customerName: "ABC Infrastructure",
      projectCode: "PRJ-102",
      gstNumber: "27ABCDE1234F1Z5",
    });
    expect(sent[0]!.headers["idempotency-key"]).toBe(`${delivery.id}:send`);
    expect(sent[0]!.headers.authorization).toBe("Bearer tok_accounting_0123456789");

    const record = await getRecord(database().sql, "Invoice", recordId);
    expect(record!.data.Accounting_Ref).toBe(`ACC-${number}`);
    expect(record!.externalRefs["invoice-to-accounting"]).toBe(`ACC-${number}`);

    const [log, ...more] = await attemptsOf(delivery.id);
    expect(more).toHaveLength(0);
    expect(log).toMatchObject({ attempts: 1, status: "SUCCESS", http_status: 200, direction: "outgoing", connection_name: "accounting-system", reference_id: `ACC-${number}` });
    expect(log!.request.url).toBe(`${receiver.url}/api/v1/receive-data`);
    expect(log!.request.headers["idempotency-key"]).toBe(`${delivery.id}:send`);
    expect(JSON.stringify(log!.request)).not.toContain("tok_accounting");
  });

  it("sends nothing for a transition that rolled back", async () => {
    const sql = database().sql;
    const { number, recordId } = await newInvoice();
    await sql
      .begin(async (tx) => {
        await transitionRecord(tx, "Invoice", recordId, "approved");
        throw new Error("undo");
      })
      .catch(() => undefined);
    // A committed approval after it is delivered; by then the rolled-back one would have been too.
    const later = await newInvoice();
    await approveAndWait(later.recordId);
    expect(requestsFor(number)).toHaveLength(0);
    expect(await sql`select 1 from deliveries where record_id = ${recordId}`).toHaveLength(0);
  });

  it("retries 500s with the same Idempotency-Key and succeeds on the third attempt", async () => {
    const { number, recordId } = await newInvoice();
    receiver.script(number, [{ status: 500 }, { status: 500 }]);
    const delivery = await approveAndWait(recordId);
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 3, referenceId: `ACC-${number}` });
    const keys = requestsFor(number).map((r) => r.headers["idempotency-key"]);
    expect(keys).toEqual([`${delivery.id}:send`, `${delivery.id}:send`, `${delivery.id}:send`]);
    expect((await getRecord(database().sql, "Invoice", recordId))!.data.Accounting_Ref).toBe(`ACC-${number}`);
    const logs = await attemptsOf(delivery.id);
    expect(logs.map((l) => [l.attempts, l.status, l.http_status])).toEqual([
      [1, "FAILED", 500],
      [2, "FAILED", 500],
      [3, "SUCCESS", 200],
    ]);
  });

  it("does not retry a 400: the delivery goes to the Failed Queue after one attempt", async () => {
    const { number, recordId } = await newInvoice();
    receiver.script(number, [{ status: 400, body: { status: "error", errorCode: "INVALID_PARAMETER" } }]);
    const delivery = await approveAndWait(recordId);
    expect(delivery).toMatchObject({ status: "failed", attempts: 1, lastHttpStatus: 400 });
    expect(requestsFor(number)).toHaveLength(1);
    const failed = (await listFailed(database().sql, { limit: 500 })).find((f) => f.id === delivery.id);
    expect(failed).toMatchObject({ retryable: false, attempts: 1, lastHttpStatus: 400, canRetry: true });
    expect(failed!.reason).toContain("Not retryable: HTTP 400");
    expect(await attemptsOf(delivery.id)).toHaveLength(1);
  });

  it("honours Retry-After on a 429", async () => {
    const { number, recordId } = await newInvoice();
    receiver.script(number, [{ status: 429, headers: { "retry-after": "2" } }]);
    const delivery = await approveAndWait(recordId);
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 2 });
    const [first, second] = requestsFor(number);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(2000);
  });

  it("moves a delivery whose retries ran out to the Failed Queue; edit-and-retry sends the edited body", async () => {
    const sql = database().sql;
    const { number, recordId } = await newInvoice();
    receiver.script(number, [{ status: 503 }, { status: 503 }, { status: 503 }]);
    const delivery = await approveAndWait(recordId);
    expect(delivery).toMatchObject({ status: "failed", attempts: 3, lastHttpStatus: 503 });
    expect(await attemptsOf(delivery.id)).toHaveLength(3);
    const failed = (await listFailed(sql, { limit: 500 })).find((f) => f.id === delivery.id);
    expect(failed).toMatchObject({ retryable: true });
    expect(failed!.reason).toContain("Retries exhausted after 3 attempts");

    const edited = { invoiceNumber: number, invoiceDate: "2025-12-12", amount: 84000, customerName: "ABC Infra (edited)" };
    expect(await retryDeliveries(sql, [delivery.id], "user:asha", { payloadOverride: edited })).toEqual([delivery.id]);
    const { done, deliveries } = await waitForDeliveries(sql, [delivery.id], 15_000);
    expect(done).toBe(true);
    expect(deliveries[0]).toMatchObject({ status: "succeeded", attempts: 4 });
    const sent = requestsFor(number);
    expect(sent).toHaveLength(4);
    expect(sent[3]!.body).toEqual(edited);
    expect(sent[3]!.headers["idempotency-key"]).toBe(`${delivery.id}:send`);
    const logs = await attemptsOf(delivery.id);
    expect(logs).toHaveLength(4);
    // The original body stays in the first attempt's log.
    expect(logs[0]!.request.body).toMatchObject({ amount: 85000, customerName: "ABC Infrastructure" });
    expect(logs[3]!.request.body).toEqual(edited);
  });

  it("discards a failed delivery with a reason", async () => {
    const sql = database().sql;
    const { number, recordId } = await newInvoice();
    receiver.script(number, [{ status: 409 }]);
    const delivery = await approveAndWait(recordId);
    expect(delivery.status).toBe("failed");
    expect(await discardDeliveries(sql, [delivery.id], "already in accounting", "user:asha")).toEqual([delivery.id]);
    const [row] = await sql<{ status: string; discard_reason: string }[]>`select status, discard_reason from deliveries where id = ${delivery.id}`;
    expect(row).toEqual({ status: "discarded", discard_reason: "already in accounting" });
    const [trail] = await sql<{ audit: unknown[] }[]>`select audit from deliveries where id = ${delivery.id}`;
    expect(trail!.audit).toEqual([{ action: "discard", actor: "user:asha", reason: "already in accounting", at: expect.any(String) }]);
    expect((await listFailed(sql, { limit: 500 })).some((f) => f.id === delivery.id)).toBe(false);
  });

  it("sends a manual selection ('Send to API'), one delivery per record", async () => {
    const sql = database().sql;
    const a = await newInvoice();
    const b = await newInvoice();
    const ids = await sendRecords(sql, { entity: "Invoice", recordIds: [a.recordId, b.recordId], flowSlug: "invoice-manual-push" });
    expect(ids).toHaveLength(2);
    const { done, deliveries } = await waitForDeliveries(sql, ids, 15_000);
    expect(done).toBe(true);
    expect(deliveries.map((d) => d.status)).toEqual(["succeeded", "succeeded"]);
    expect(requestsFor(a.number)).toHaveLength(1);
    expect(requestsFor(b.number)).toHaveLength(1);
    expect((await getRecord(sql, "Invoice", a.recordId))!.externalRefs["invoice-manual-push"]).toBe(`ACC-${a.number}`);
    await expect(sendRecords(sql, { entity: "Invoice", recordIds: ["INV-0"], flowSlug: "invoice-manual-push" })).rejects.toThrow(/not found/);
  });

  it("a scheduled run sends only the matching records not yet delivered by its flow", async () => {
    const sql = database().sql;
    const first = await newInvoice("SCHED");
    const draft = await newInvoice("SCHED");
    await newInvoice("OTHER");
    await transitionRecord(sql, "Invoice", first.recordId, "approved");
    const run1 = await runSchedule(sql, "invoice-schedule-push", new Date("2025-12-12T18:00:00Z"));
    expect(run1.recordIds).toEqual([first.recordId]);
    expect((await waitForDeliveries(sql, [run1.deliveryId!], 15_000)).deliveries[0]!.status).toBe("succeeded");

    const second = await newInvoice("SCHED");
    await transitionRecord(sql, "Invoice", second.recordId, "approved");
    const run2 = await runSchedule(sql, "invoice-schedule-push", new Date("2025-12-13T18:00:00Z"));
    expect(run2.recordIds).toEqual([second.recordId]);
    expect((await waitForDeliveries(sql, [run2.deliveryId!], 15_000)).deliveries[0]!.status).toBe("succeeded");
    const bulk = receiver.received.filter((r) => r.url === "/api/v1/receive-data/bulk");
    expect(bulk.map((r) => r.body)).toEqual([
      { count: 1, invoices: [{ invoiceNumber: first.number, amount: 85000 }] },
      { count: 1, invoices: [{ invoiceNumber: second.number, amount: 85000 }] },
    ]);
    expect(bulk.some((r) => JSON.stringify(r.body).includes(draft.number))).toBe(false);
    // Nothing left: the next run creates no delivery.
    expect((await runSchedule(sql, "invoice-schedule-push", new Date("2025-12-14T18:00:00Z"))).deliveryId).toBeUndefined();
  });

  it("matches cron in the flow's time zone", () => {
    // 23:30 in Kolkata is 18:00 UTC.
    expect(cronMatches("30 23 * * *", "Asia/Kolkata", new Date("2025-12-12T18:00:00Z"))).toBe(true);
    expect(cronMatches("30 23 * * *", "Asia/Kolkata", new Date("2025-12-12T23:30:00Z"))).toBe(false);
    expect(cronMatches("0 9 * * MON-FRI", "UTC", new Date("2025-12-13T09:00:00Z"))).toBe(false); // a Saturday
    expect(cronMatches("0 9 * * MON-FRI", "UTC", new Date("2025-12-12T09:00:00Z"))).toBe(true);
    expect(cronMatches("0 9 * JAN,DEC 5-7", "UTC", new Date("2025-12-14T09:00:00Z"))).toBe(true); // Sunday as 7
    expect(toGraphileCron("0 9 * JAN 5-7")).toBe("0 9 * 1 5-6,0");
  });
});
