/**
 * Operations alerts (alerts.ts) on a real database: deduplicated per kind and connection, raised by
 * real deliveries (a circuit opening, deliveries reaching the Failed Queue), acknowledged with an
 * audit row, and posted to the operations webhook signed with Standard Webhooks.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { systemActor } from "@/server/audit/actor";
import { resetEnvForTests } from "@/server/env";
import { generateSigningSecret, verifyWebhookSignature } from "@/server/incoming/webhook-signature";
import { insertRecord } from "@/server/records/store";
import { useTestDatabase } from "../testing/database";
import { acknowledgeAlert, listOpenAlerts, raiseAlert, sendOpsAlert } from "./alerts";
import { setConnection } from "./connections";
import { setCredential } from "./credentials";
import { deliverOnce } from "./deliver";
import { sendRecords } from "./manual-send";
import { invoiceManualFlow, publish, startAccountingReceiver, startReceiver, variantOf, type Receiver } from "./testing-receiver";

vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
vi.stubEnv("FLOWPORT_CIRCUIT_FAILURES", "3");
vi.stubEnv("FLOWPORT_OPS_WEBHOOK_CONNECTION", "ops-hook");
resetEnvForTests();

const database = useTestDatabase();
const signingSecret = generateSigningSecret();
let receiver: Receiver;
let sick: Receiver;
const hook: { headers: http.IncomingHttpHeaders; body: string }[] = [];
const hookServer = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c: Buffer) => (body += c.toString("utf8")));
  req.on("end", () => {
    hook.push({ headers: req.headers, body });
    res.writeHead(204).end();
  });
});

beforeAll(async () => {
  const { sql } = database();
  receiver = await startAccountingReceiver(sql);
  sick = await startReceiver();
  await setConnection(sql, { name: "sick-system", baseUrl: sick.url, allowPrivate: true });
  await publish(sql, variantOf(invoiceManualFlow(), "invoice-to-sick", { connection: "sick-system", retry: { maxAttempts: 1 } }));
  await new Promise<void>((resolve) => hookServer.listen(0, "127.0.0.1", resolve));
  await setCredential(sql, { name: "ops-signing", type: "webhook_signing", secret: signingSecret });
  await setConnection(sql, { name: "ops-hook", baseUrl: `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/alerts`, allowPrivate: true, credentialName: "ops-signing" });
});

afterAll(async () => {
  await receiver?.close();
  await sick?.close();
  await new Promise((r) => hookServer.close(r));
});

describe("operations alerts", () => {
  it("keeps one open alert per kind and connection, counting repeats, until acknowledged (audited)", async () => {
    const { sql } = database();
    expect(await raiseAlert(sql, { kind: "circuit.opened", connection: "dedupe-test", message: "opened" })).toBe(true);
    expect(await raiseAlert(sql, { kind: "circuit.opened", connection: "dedupe-test", message: "opened again" })).toBe(false);
    expect(await raiseAlert(sql, { kind: "delivery.failed", connection: "dedupe-test", message: "failed" })).toBe(true);
    const open = (await listOpenAlerts(sql)).filter((a) => a.connection === "dedupe-test");
    expect(open.map((a) => [a.kind, a.count]).sort()).toEqual([
      ["circuit.opened", 2],
      ["delivery.failed", 1],
    ]);
    const opened = open.find((a) => a.kind === "circuit.opened")!;
    await acknowledgeAlert(sql, { id: opened.id }, systemActor("ops-test"));
    await expect(acknowledgeAlert(sql, { id: opened.id }, systemActor("ops-test"))).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Acknowledged: the next opening is news again.
    expect(await raiseAlert(sql, { kind: "circuit.opened", connection: "dedupe-test", message: "opened" })).toBe(true);
    const [audit] = await sql<{ action: string; actor_email: string }[]>`select action, actor_email from audit_log where action = 'alert.acknowledged'`;
    expect(audit).toEqual({ action: "alert.acknowledged", actor_email: "ops-test" });
  });

  it("raises one alert when a connection's circuit opens and one for its deliveries reaching the Failed Queue", async () => {
    const { sql } = database();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const number = `INV/A/${i}-${randomBytes(3).toString("hex")}`;
      const { record } = await insertRecord(sql, "Invoice", { Invoice_No: number, Invoice_Date: "2025-12-12", Total_Amount: 100 + i });
      sick.script(number, [{ status: 503 }]);
      ids.push(...(await sendRecords(sql, { entity: "Invoice", recordIds: [record.recordId], flowSlug: "invoice-to-sick" })));
    }
    for (const id of ids.slice(0, 3)) expect(await deliverOnce(sql, id)).toMatchObject({ status: "failed" });
    expect(await deliverOnce(sql, ids[3]!)).toMatchObject({ status: "held" });
    const alerts = (await listOpenAlerts(sql)).filter((a) => a.connection === "sick-system");
    expect(alerts.map((a) => [a.kind, a.count]).sort()).toEqual([
      ["circuit.opened", 1],
      ["delivery.failed", 3],
    ]);
    expect(alerts.find((a) => a.kind === "circuit.opened")!.message).toMatch(/opened after 3 failures in a row/);
    // Each new alert is queued once for the operations webhook.
    const [{ n }] = (await sql<{ n: number }[]>`
      select count(*)::int as n from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'send-ops-alert' and (j.payload->>'alertId')::bigint = any(${alerts.map((a) => a.id)}::bigint[])`) as unknown as [{ n: number }];
    expect(n).toBe(2);
  });

  it("posts an alert to the operations webhook in the documented shape, signed with Standard Webhooks", async () => {
    const { sql } = database();
    await raiseAlert(sql, { kind: "circuit.still_open", connection: "hook-test", message: "open since …", details: { state: "open" } });
    const alert = (await listOpenAlerts(sql)).find((a) => a.connection === "hook-test")!;
    await sendOpsAlert(sql, alert.id);
    const [sent] = hook;
    expect(sent).toBeDefined();
    expect(JSON.parse(sent!.body)).toEqual({
      type: "circuit.still_open",
      id: `alert-${alert.id}`,
      timestamp: alert.createdAt.toISOString(),
      data: { connection: "hook-test", message: "open since …", count: 1, state: "open" },
    });
    const headers = Object.fromEntries(Object.entries(sent!.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : v]));
    expect(verifyWebhookSignature(signingSecret, headers, sent!.body)).toMatchObject({ ok: true });
    expect(headers["idempotency-key"]).toBe(`alert-${alert.id}`);
  });
});
