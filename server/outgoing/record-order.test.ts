/**
 * Order per record (record-order.ts): a flow with `options.order: "per-record"` sends the
 * deliveries of one record one at a time in event order; a failing one holds those behind it
 * ("waiting for …"), other records flow on. A real receiver, deliveries run as the job runs them.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/server/env";
import { insertRecord } from "@/server/records/store";
import { useTestDatabase } from "../testing/database";
import { listHeldDeliveries } from "./circuit";
import { deliverAttempts, deliverOnce } from "./deliver";
import { discardDeliveries } from "./failed-queue";
import { sendRecords } from "./manual-send";
import { invoiceManualFlow, publish, startAccountingReceiver, variantOf, type Receiver } from "./testing-receiver";

vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
resetEnvForTests();

const database = useTestDatabase();
let receiver: Receiver;

beforeAll(async () => {
  const { sql } = database();
  receiver = await startAccountingReceiver(sql);
  const ordered = variantOf(invoiceManualFlow(), "invoice-in-order", { retry: { maxAttempts: 2, backoff: "fixed", initialDelayMs: 100, maxDelayMs: 100 } });
  ordered.options = { ...ordered.options, order: "per-record" };
  await publish(sql, ordered);
  // Ordered by a key expression: every invoice of one client goes one at a time, in event order.
  const byClient = variantOf(invoiceManualFlow(), "invoice-by-client", { retry: { maxAttempts: 2, backoff: "fixed", initialDelayMs: 100, maxDelayMs: 100 } });
  byClient.options = { ...byClient.options, order: "per-record", orderKey: "record.Client_Name" };
  await publish(sql, byClient);
});

afterAll(async () => {
  await receiver?.close();
});

async function invoice() {
  const number = `INV/O/${randomBytes(3).toString("hex")}`;
  const { record } = await insertRecord(database().sql, "Invoice", { Invoice_No: number, Invoice_Date: "2025-12-12", Total_Amount: 100 });
  return { number, recordId: record.recordId };
}

const send = async (recordId: string) => (await sendRecords(database().sql, { entity: "Invoice", recordIds: [recordId], flowSlug: "invoice-in-order" }))[0]!;
const waitingFor = async (id: string) => (await database().sql<{ waiting_for: string | null }[]>`select waiting_for from deliveries where id = ${id}`)[0]!.waiting_for;

describe("order per record", () => {
  it("holds a record's later deliveries behind a failing one while other records flow on", async () => {
    const { sql } = database();
    const a = await invoice();
    const b = await invoice();
    receiver.script(a.number, [{ status: 503 }]);
    const first = await send(a.recordId);
    const second = await send(a.recordId);
    const other = await send(b.recordId);
    // As a job of first attempts runs them: side by side.
    const outcomes = await deliverAttempts(sql, [first, second, other], { firstAttemptOnly: true });
    expect(outcomes.map((o) => o.status)).toEqual(["pending", "waiting", "succeeded"]);
    expect(await waitingFor(second)).toBe(first);
    expect(receiver.received.filter((r) => r.body.invoiceNumber === a.number)).toHaveLength(1);
    // Visible where held deliveries are listed: "waiting for" the one ahead.
    expect((await listHeldDeliveries(sql, "accounting-system")).find((d) => d.id === second)).toMatchObject({ waitingFor: first });
    // Still behind: trying it again sends nothing.
    expect(await deliverOnce(sql, second)).toMatchObject({ status: "waiting" });
    // The first gets through; the second is woken (its job moved to now) and follows.
    expect(await deliverOnce(sql, first)).toMatchObject({ status: "succeeded", attempt: 2 });
    const [job] = await sql<{ run_at: Date }[]>`select run_at from graphile_worker._private_jobs where key = ${`delivery:${second}`}`;
    expect(job!.run_at.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await deliverOnce(sql, second)).toMatchObject({ status: "succeeded", attempt: 1 });
    expect(await waitingFor(second)).toBeNull();
    const sent = receiver.received.filter((r) => r.body.invoiceNumber === a.number).map((r) => r.headers["idempotency-key"]);
    expect(sent).toEqual([`${first}:send`, `${first}:send`, `${second}:send`]);
  });

  it("keeps holding behind a delivery in the Failed Queue until it is discarded", async () => {
    const { sql } = database();
    const a = await invoice();
    receiver.script(a.number, [{ status: 503 }, { status: 503 }]);
    const first = await send(a.recordId);
    const second = await send(a.recordId);
    await deliverOnce(sql, first);
    expect(await deliverOnce(sql, first)).toMatchObject({ status: "failed" });
    expect(await deliverOnce(sql, second)).toMatchObject({ status: "waiting" });
    await discardDeliveries(sql, [first], "superseded", "ops-test");
    expect(await deliverOnce(sql, second)).toMatchObject({ status: "succeeded" });
  });

  it("orders by the flow's key expression: deliveries of different records sharing the key wait in line, other keys flow on", async () => {
    const { sql } = database();
    const client = `Client ${randomBytes(3).toString("hex")}`;
    const make = async (name: string) => {
      const number = `INV/K/${randomBytes(3).toString("hex")}`;
      const { record } = await insertRecord(sql, "Invoice", { Invoice_No: number, Invoice_Date: "2025-12-12", Total_Amount: 100, Client_Name: name });
      return { number, recordId: record.recordId };
    };
    const a = await make(client);
    const b = await make(client);
    const c = await make(`${client} (other)`);
    receiver.script(a.number, [{ status: 503 }]);
    const ids = await sendRecords(sql, { entity: "Invoice", recordIds: [a.recordId, b.recordId, c.recordId], flowSlug: "invoice-by-client" });
    const keys = await sql<{ id: string; order_key: string }[]>`select id, order_key from deliveries where id = any(${ids}::uuid[])`;
    const keyOf = (id: string) => keys.find((k) => k.id === id)!.order_key;
    expect(keyOf(ids[0]!)).toBe(`key:${client}`);
    expect(keyOf(ids[1]!)).toBe(`key:${client}`);
    expect(keyOf(ids[2]!)).toBe(`key:${client} (other)`);
    const outcomes = await deliverAttempts(sql, ids, { firstAttemptOnly: true });
    expect(outcomes.map((o) => o.status)).toEqual(["pending", "waiting", "succeeded"]);
    expect(await waitingFor(ids[1]!)).toBe(ids[0]);
    // The one ahead succeeds: the one behind goes.
    expect(await deliverOnce(sql, ids[0]!)).toMatchObject({ status: "succeeded", attempt: 2 });
    expect(await deliverOnce(sql, ids[1]!)).toMatchObject({ status: "succeeded", attempt: 1 });
  });

  it("orders by the record when the key expression gives nothing", async () => {
    const { sql } = database();
    const { recordId } = await invoice(); // no Client_Name
    const [id] = await sendRecords(sql, { entity: "Invoice", recordIds: [recordId], flowSlug: "invoice-by-client" });
    const [row] = await sql<{ order_key: string }[]>`select order_key from deliveries where id = ${id!}`;
    expect(row!.order_key).toBe(`Invoice:${recordId}`);
  });

  it("refuses to publish a flow whose order key does not parse, pointing at the field", async () => {
    const { sql } = database();
    const bad = variantOf(invoiceManualFlow(), "invoice-bad-key", {});
    bad.options = { ...bad.options, order: "per-record", orderKey: "record.Client_Name +" };
    await expect(publish(sql, bad)).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      details: { graphErrors: [expect.objectContaining({ code: "EXPRESSION_SYNTAX", path: ["options", "orderKey"], message: expect.stringMatching(/^Order key: /) })] },
    });
  });
});
