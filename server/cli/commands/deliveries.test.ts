import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/server/env";
import { deliverOnce } from "@/server/outgoing/deliver";
import { sendRecords } from "@/server/outgoing/manual-send";
import { invoiceManualFlow, publish, startAccountingReceiver, variantOf, type Receiver } from "@/server/outgoing/testing-receiver";
import { insertRecord } from "@/server/records/store";
import { useTestDatabase } from "../../testing/database";
import { cliActorName } from "@/server/audit/actor";
import { discardCommand, listFailedCommand, retryCommand } from "./deliveries";

vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
resetEnvForTests();

// No worker: attempts run through deliverOnce, as the job would.
const database = useTestDatabase();
let receiver: Receiver;
const actor = cliActorName();

beforeAll(async () => {
  const { sql } = database();
  receiver = await startAccountingReceiver(sql, "tok_cli_0123456789");
  await publish(sql, invoiceManualFlow());
  await publish(sql, variantOf(invoiceManualFlow(), "invoice-other-push", {}));
});

afterAll(async () => {
  await receiver?.close();
});

/** A delivery of a fresh invoice that the receiver refuses with a 400: in the Failed Queue after one attempt. */
async function failedDelivery(flowSlug = "invoice-manual-push") {
  const sql = database().sql;
  const number = `INV/C/${randomBytes(3).toString("hex")}`;
  const { record } = await insertRecord(sql, "Invoice", { Invoice_No: number, Invoice_Date: "2025-12-12", Total_Amount: 100, Client_Name: "ABC" });
  receiver.script(number, [{ status: 400, body: { status: "error", errorCode: "INVALID_PARAMETER" } }]);
  const [id] = await sendRecords(sql, { entity: "Invoice", recordIds: [record.recordId], flowSlug });
  expect(await deliverOnce(sql, id!)).toMatchObject({ status: "failed" });
  return { id: id!, number };
}

const auditOf = async (id: string) => (await database().sql<{ audit: unknown[] }[]>`select audit from deliveries where id = ${id}`)[0]!.audit;

describe("flowport deliveries", () => {
  it("the actor is cli:<os user>", () => {
    expect(actor).toBe(`cli:${os.userInfo().username}`);
  });

  it("failed lists the Failed Queue with reason, attempts, last error and retry eligibility; --flow narrows it", async () => {
    const sql = database().sql;
    const a = await failedDelivery();
    const b = await failedDelivery("invoice-other-push");
    const all = await listFailedCommand(sql, {});
    expect((all.data.deliveries as { id: string }[]).map((d) => d.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    const only = await listFailedCommand(sql, { flow: "invoice-other-push" });
    expect(only.data.deliveries).toEqual([
      expect.objectContaining({ id: b.id, attempts: 1, lastHttpStatus: 400, retryable: false, canRetry: true, reason: expect.stringContaining("Not retryable: HTTP 400") }),
    ]);
    expect(only.human).toContain(`${b.id}  invoice-other-push v1  Invoice`);
    expect(only.human).toContain("attempts 1/3");
    expect(only.human).toContain("reason: Not retryable: HTTP 400");
    expect(only.human).toContain("last error: accounting-system answered HTTP 400");
    expect(only.human).toContain("retry: yes, but the failure was not retryable");
    expect((await listFailedCommand(sql, { flow: "no-such-flow" })).human).toBe('The Failed Queue is empty for "no-such-flow".');
    await expect(listFailedCommand(sql, { limit: "0" })).rejects.toThrow(/--limit/);
  });

  it("retry --payload @file requeues with the edited body, records who and when, and keeps the original in the first attempt's log", async () => {
    const sql = database().sql;
    const { id, number } = await failedDelivery();
    const edited = { invoiceNumber: number, invoiceDate: "2025-12-12", amount: 100, customerName: "ABC (edited)" };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flowport-payload-"));
    const file = path.join(dir, "body.json");
    fs.writeFileSync(file, JSON.stringify(edited));
    const answer = await retryCommand(sql, [id], { payload: `@${file}` }).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
    expect(answer.data).toEqual({ ok: true, requeued: [id], skipped: [], actor });
    expect(answer.human).toBe(`Requeued 1 delivery (as ${actor}): ${id}`);
    expect(await auditOf(id)).toEqual([{ action: "retry", actor, payloadEdited: true, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);

    expect(await deliverOnce(sql, id)).toMatchObject({ status: "succeeded", attempt: 2 });
    const sent = receiver.received.filter((r) => r.body.invoiceNumber === number);
    expect(sent.map((r) => r.body.customerName)).toEqual(["ABC", "ABC (edited)"]);
    const logs = await sql<{ request: { body: Record<string, unknown> } }[]>`select request from executions where delivery_id = ${id} order by attempts`;
    expect(logs.map((l) => l.request.body.customerName)).toEqual(["ABC", "ABC (edited)"]);
  });

  it("retry refuses bad ids and a payload for several deliveries, and exits 1 naming what it could not retry", async () => {
    const sql = database().sql;
    const { id } = await failedDelivery();
    await expect(retryCommand(sql, ["nope"])).rejects.toMatchObject({ code: "VALIDATION_FAILED", message: "Not a delivery id: nope" });
    await expect(retryCommand(sql, [id, id.replace(/.$/, (c) => (c === "0" ? "1" : "0"))], { payload: "{}" })).rejects.toThrow(/exactly one id/);
    await expect(retryCommand(sql, [id], { payload: "{nope" })).rejects.toThrow(/not valid JSON/);
    const unknown = "00000000-0000-4000-8000-000000000000";
    await expect(retryCommand(sql, [id, unknown], {}, { kind: "cli", name: "cli:test" })).rejects.toMatchObject({
      code: "WORKFLOW_RULE",
      details: { ok: false, requeued: [id], skipped: [unknown], actor: "cli:test" },
    });
    expect(await auditOf(id)).toEqual([expect.objectContaining({ action: "retry", actor: "cli:test" })]);
  });

  it("discard needs a reason and records it with who and when", async () => {
    const sql = database().sql;
    const { id } = await failedDelivery();
    await expect(discardCommand(sql, [id], { reason: " " })).rejects.toThrow(/Say why/);
    const answer = await discardCommand(sql, [id], { reason: "already keyed in by hand" });
    expect(answer.data).toEqual({ ok: true, discarded: [id], skipped: [], actor });
    const [row] = await sql<{ status: string; discard_reason: string }[]>`select status, discard_reason from deliveries where id = ${id}`;
    expect(row).toEqual({ status: "discarded", discard_reason: "already keyed in by hand" });
    expect(await auditOf(id)).toEqual([{ action: "discard", actor, reason: "already keyed in by hand", at: expect.any(String) }]);
    expect((await listFailedCommand(sql, {})).human).not.toContain(id);
    // Discarding again does nothing and says so.
    await expect(discardCommand(sql, [id], { reason: "again" })).rejects.toThrow(/Not discarded/);
  });
});
