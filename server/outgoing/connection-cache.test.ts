/**
 * The connection and credential an attempt sends with come from the process's cache only while
 * neither table changed: a change made by any process (here: plain SQL, as another process would
 * commit it) is used by the very next attempt.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/server/env";
import { insertRecord } from "@/server/records/store";
import { useTestDatabase } from "../testing/database";
import { setCredential } from "./credentials";
import { deliverOnce } from "./deliver";
import { sendRecords } from "./manual-send";
import { invoiceManualFlow, publish, startAccountingReceiver, startReceiver, type Receiver } from "./testing-receiver";

vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
resetEnvForTests();

const database = useTestDatabase();
let first: Receiver;
let second: Receiver;

beforeAll(async () => {
  const { sql } = database();
  first = await startAccountingReceiver(sql);
  second = await startReceiver();
  await publish(sql, invoiceManualFlow());
});

afterAll(async () => {
  await first?.close();
  await second?.close();
});

/** One attempt of a fresh delivery of a fresh invoice; returns its invoice number and outcome. */
async function deliverNew() {
  const sql = database().sql;
  const number = `INV/C/${randomBytes(3).toString("hex")}`;
  const { record } = await insertRecord(sql, "Invoice", { Invoice_No: number, Invoice_Date: "2025-12-12", Total_Amount: 100 });
  const [id] = await sendRecords(sql, { entity: "Invoice", recordIds: [record.recordId], flowSlug: "invoice-manual-push" });
  return { number, outcome: await deliverOnce(sql, id!) };
}

const sentTo = (receiver: Receiver, number: string) => receiver.received.filter((r) => r.body.invoiceNumber === number);

describe("connection cache", () => {
  it("sends with a connection or credential changed by another process from the next attempt on", async () => {
    const sql = database().sql;
    const a = await deliverNew();
    expect(a.outcome).toMatchObject({ status: "succeeded" });
    expect(sentTo(first, a.number)).toHaveLength(1);
    // Cached now: unchanged tables, same target.
    const b = await deliverNew();
    expect(sentTo(first, b.number)).toHaveLength(1);

    await sql`update connections set base_url = ${`${second.url}/`} where name = 'accounting-system'`;
    const c = await deliverNew();
    expect(c.outcome).toMatchObject({ status: "succeeded" });
    expect(sentTo(first, c.number)).toHaveLength(0);
    expect(sentTo(second, c.number)).toHaveLength(1);

    // A rotated secret (a new row version, updated_at aside) is sent at once.
    await setCredential(sql, { name: "accounting-api-token", type: "bearer", secret: "tok_rotated_9876543210" });
    const d = await deliverNew();
    expect(sentTo(second, d.number)[0]!.headers.authorization).toBe("Bearer tok_rotated_9876543210");
  });

  it("refuses to send once the connection is deleted, though it was cached", async () => {
    const sql = database().sql;
    expect((await deliverNew()).outcome).toMatchObject({ status: "succeeded" });
    await sql`delete from connections where name = 'accounting-system'`;
    const gone = await deliverNew();
    expect(gone.outcome).toMatchObject({ status: "failed" });
    expect(sentTo(first, gone.number)).toHaveLength(0);
    expect(sentTo(second, gone.number)).toHaveLength(0);
    const [row] = await sql<{ last_error: string }[]>`select last_error from deliveries where record_id = (
      select record_id from records where entity = 'Invoice' and data ->> 'Invoice_No' = ${gone.number})`;
    expect(row!.last_error).toMatch(/No connection named "accounting-system"/);
  });
});
