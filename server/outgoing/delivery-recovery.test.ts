/**
 * Deliveries survive what goes wrong in production: a receiver that does not answer in time, a
 * receiver that is down for a while, and a worker process killed (kill -9) mid-request. A real
 * receiver on 127.0.0.1, real workers (one of them in a child process), nothing mocked.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/server/env";
import { startWorker, type WorkerHandle } from "@/server/jobs/runner";
import { insertRecord } from "@/server/records/store";
import { useTestDatabase } from "../testing/database";
import { childEnv, spawnNode, waitUntil } from "../testing/processes";
import { sendRecords, waitForDeliveries } from "./manual-send";
import { invoiceManualFlow, publish, startAccountingReceiver, startReceiver, variantOf, type Receiver } from "./testing-receiver";

// The child worker inherits this key through childEnv, so it can open the credential too.
vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
// The connection's circuit opens after 5 failures in a row; here it probes every 300 ms (30 s by default).
vi.stubEnv("FLOWPORT_CIRCUIT_PROBE_MS", "300");
resetEnvForTests();

const database = useTestDatabase();
let receiver: Receiver;

beforeAll(async () => {
  const { sql } = database();
  receiver = await startAccountingReceiver(sql);
  await publish(sql, invoiceManualFlow());
  await publish(sql, variantOf(invoiceManualFlow(), "invoice-short-timeout", { timeoutMs: 300 }));
  // Enough quick attempts to outlast a short outage.
  await publish(sql, variantOf(invoiceManualFlow(), "invoice-patient", { retry: { maxAttempts: 20, backoff: "fixed", initialDelayMs: 100, maxDelayMs: 100 } }));
});

afterAll(async () => {
  await receiver?.close();
});

async function queue(flowSlug: string, count = 1) {
  const sql = database().sql;
  const made: { id: string; number: string }[] = [];
  for (let i = 0; i < count; i++) {
    const number = `INV/R/${randomBytes(3).toString("hex")}`;
    const { record } = await insertRecord(sql, "Invoice", { Invoice_No: number, Invoice_Date: "2025-12-12", Total_Amount: 100, Client_Name: "ABC" });
    const [id] = await sendRecords(sql, { entity: "Invoice", recordIds: [record.recordId], flowSlug });
    made.push({ id: id!, number });
  }
  return made;
}

const requestsFor = (number: string) => receiver.received.filter((r) => r.body.invoiceNumber === number);

const logsOf = (id: string) =>
  database().sql<{ status: string; http_status: number | null; error_message: string | null; response: { retryable: boolean | null; nextAttemptAt: string | null } }[]>`
    select status, http_status, error_message, response from executions where delivery_id = ${id} order by attempts`;

async function withWorker<T>(fn: () => Promise<T>): Promise<T> {
  const { sql, url } = database();
  const worker: WorkerHandle = await startWorker({ url, sql });
  try {
    return await fn();
  } finally {
    await worker.stop();
  }
}

describe("outgoing delivery recovery", () => {
  it("retries an attempt that timed out; the next one gets through with the same Idempotency-Key", async () => {
    const [{ id, number }] = (await queue("invoice-short-timeout")) as [{ id: string; number: string }];
    receiver.script(number, [{ status: 200, delayMs: 1500, body: { referenceId: "TOO-LATE" } }]);
    const { done, deliveries } = await withWorker(() => waitForDeliveries(database().sql, [id], 20_000));
    expect(done).toBe(true);
    expect(deliveries[0]).toMatchObject({ status: "succeeded", attempts: 2, referenceId: `ACC-${number}` });
    const sent = requestsFor(number);
    expect(sent.map((r) => r.headers["idempotency-key"])).toEqual([`${id}:send`, `${id}:send`]);
    expect(sent[0]!.headers["x-request-id"]).not.toBe(sent[1]!.headers["x-request-id"]);
    const [timedOut, ok] = await logsOf(id);
    expect(timedOut).toMatchObject({ status: "FAILED", http_status: null, response: { retryable: true, nextAttemptAt: expect.any(String) } });
    expect(timedOut!.error_message).toMatch(/No answer from 127\.0\.0\.1:\d+ within 300 ms/);
    expect(ok).toMatchObject({ status: "SUCCESS", http_status: 200, response: { retryable: null, nextAttemptAt: null } });
  });

  it("delivers everything to a receiver that was down for a while, once it is back", async () => {
    const sql = database().sql;
    const port = receiver.port;
    await receiver.close();
    const queued = await queue("invoice-patient", 3);
    const ids = queued.map((q) => q.id);
    await withWorker(async () => {
      // Down: every delivery fails with a network error and stays pending, until the failures open
      // the connection's circuit (the rest wait for it without spending attempts).
      await waitUntil(async () => (await sql`select 1 from deliveries where id = any(${ids}::uuid[]) and attempts >= 1`).length === ids.length, 30_000, "a failed attempt each");
      await waitUntil(async () => (await sql`select 1 from connection_circuits where connection_name = 'accounting-system' and state <> 'closed'`).length === 1, 30_000, "the circuit to open");
      receiver = await startReceiver({ port });
      const { done, deliveries } = await waitForDeliveries(sql, ids, 30_000);
      expect(done).toBe(true);
      expect(deliveries.map((d) => d.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    });
    for (const { id, number } of queued) {
      // The restarted receiver got each invoice exactly once; the failures never reached anything.
      expect(requestsFor(number).map((r) => r.headers["idempotency-key"])).toEqual([`${id}:send`]);
      const logs = await logsOf(id);
      expect(logs.at(-1)).toMatchObject({ status: "SUCCESS", http_status: 200 });
      for (const failed of logs.slice(0, -1)) {
        expect(failed).toMatchObject({ status: "FAILED", http_status: null, response: { retryable: true, nextAttemptAt: expect.any(String) } });
        expect(failed.error_message).toMatch(/Could not reach 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
      }
    }
  });

  it("delivers, with the same Idempotency-Key, after the worker is killed (-9) mid-request", { timeout: 120_000 }, async () => {
    const { sql, url } = database();
    const child = spawnNode(["server/testing/fixtures/outgoing-worker.ts"], childEnv({ DATABASE_URL: url }));
    let worker: WorkerHandle | undefined;
    try {
      await waitUntil(() => child.output().includes('{"pid"'), 30_000, `the child worker to start:\n${child.output()}`);
      const [{ id, number }] = (await queue("invoice-manual-push")) as [{ id: string; number: string }];
      // The first request is never answered: the child is waiting on it when it dies.
      receiver.script(number, [{ status: 200, hang: true }]);
      await waitUntil(() => requestsFor(number).length === 1, 30_000, "the child's request");
      child.child.kill("SIGKILL");
      await child.exited;
      const [left] = await sql<{ status: string; attempts: number }[]>`select status, attempts from deliveries where id = ${id}`;
      expect(left).toEqual({ status: "delivering", attempts: 0 });

      // A new worker releases the dead one's job at start and runs the attempt again.
      const started = Date.now();
      worker = await startWorker({ url, sql });
      const { done, deliveries } = await waitForDeliveries(sql, [id], 60_000);
      expect(done).toBe(true);
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(deliveries[0]).toMatchObject({ status: "succeeded", attempts: 1, referenceId: `ACC-${number}` });
      const sent = requestsFor(number);
      expect(sent).toHaveLength(2);
      expect(sent.map((r) => r.headers["idempotency-key"])).toEqual([`${id}:send`, `${id}:send`]);
      // The killed attempt left no log entry (its transaction died with it); the one that counted did.
      expect(await logsOf(id)).toEqual([expect.objectContaining({ status: "SUCCESS", http_status: 200 })]);
    } finally {
      if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill("SIGKILL");
      await worker?.stop();
    }
  });
});
