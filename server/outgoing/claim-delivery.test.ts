import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/server/env";
import { insertRecord } from "@/server/records/store";
import { useTestDatabase } from "../testing/database";
import { claimDelivery } from "./claim-delivery";
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

describe("claiming a delivery", () => {
  it("commits without a WAL flush for the claim only: the connection's later commits (the settle) stay synchronous", async () => {
    const { sql, url } = database();
    const { record } = await insertRecord(sql, "Invoice", { Invoice_No: `INV/C/${randomBytes(3).toString("hex")}`, Invoice_Date: "2025-12-12", Total_Amount: 1 });
    const [id] = await sendRecords(sql, { entity: "Invoice", recordIds: [record.recordId], flowSlug: "invoice-manual-push" });
    // One connection: what the claim leaves behind is what the next statement on it sees.
    const single = postgres(url, { max: 1, onnotice: () => undefined });
    try {
      expect((await single`show synchronous_commit`)[0]!.synchronous_commit).toBe("on");
      const claimed = await claimDelivery(single, id!);
      expect(claimed).toMatchObject({ id, status: "delivering", attempts: 0, record_found: record.recordId });
      expect((await single`show synchronous_commit`)[0]!.synchronous_commit).toBe("on");
      // Committed: visible from another connection.
      expect((await sql`select status from deliveries where id = ${id!}`)[0]!.status).toBe("delivering");
      // Nothing to claim: no row, and still nothing leaks.
      await sql`update deliveries set status = 'succeeded' where id = ${id!}`;
      expect(await claimDelivery(single, id!)).toBeUndefined();
      expect((await single`show synchronous_commit`)[0]!.synchronous_commit).toBe("on");
    } finally {
      await single.end({ timeout: 5 });
    }
  });
});
