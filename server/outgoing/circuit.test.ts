/**
 * The circuit per connection (circuit.ts), on a real database: every transition on its own, then
 * end to end through deliverOnce against a real receiver answering 503.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { systemActor } from "@/server/audit/actor";
import { resetEnvForTests } from "@/server/env";
import { insertRecord } from "@/server/records/store";
import { useTestDatabase } from "../testing/database";
import { listCircuits, markStillOpen, passCircuit, recordAlive, recordFailure, type CircuitSettings } from "./circuit";
import { setConnection } from "./connections";
import { deliverOnce } from "./deliver";
import { retryDeliveries } from "./failed-queue";
import { sendRecords } from "./manual-send";
import { pauseConnection, resumeConnection } from "./pause-connection";
import { invoiceManualFlow, publish, startAccountingReceiver, startReceiver, variantOf, type Receiver } from "./testing-receiver";

vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
vi.stubEnv("FLOWPORT_CIRCUIT_FAILURES", "3");
vi.stubEnv("FLOWPORT_CIRCUIT_PROBE_MS", "400");
vi.stubEnv("FLOWPORT_CIRCUIT_RELEASE_PER_SECOND", "10");
resetEnvForTests();

const settings: CircuitSettings = { failures: 3, probeMs: 400, releasePerSecond: 10 };
const database = useTestDatabase();
let receiver: Receiver;
let sick: Receiver;

beforeAll(async () => {
  const { sql } = database();
  receiver = await startAccountingReceiver(sql);
  sick = await startReceiver();
  await setConnection(sql, { name: "sick-system", baseUrl: sick.url, allowPrivate: true });
  await publish(sql, variantOf(invoiceManualFlow(), "invoice-to-sick", { connection: "sick-system", retry: { maxAttempts: 3, backoff: "fixed", initialDelayMs: 100, maxDelayMs: 100 } }));
  for (const name of ["c-open", "c-probe", "c-429", "c-manual"]) await setConnection(sql, { name, baseUrl: "http://127.0.0.1:1", allowPrivate: true });
});

afterAll(async () => {
  await receiver?.close();
  await sick?.close();
});

const circuit = async (name: string) => (await listCircuits(database().sql)).find((c) => c.connection === name)!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("circuit transitions", () => {
  it("stays closed below the threshold, opens at it (once), and a sign of life resets the count", async () => {
    const { sql } = database();
    expect(await circuit("c-open")).toMatchObject({ state: "closed", consecutiveFailures: 0, held: 0 });
    expect(await recordFailure(sql, "c-open", {}, settings)).toBeUndefined();
    expect(await recordAlive(sql, "c-open", settings)).toBeUndefined();
    expect(await circuit("c-open")).toMatchObject({ state: "closed", consecutiveFailures: 0 });
    await recordFailure(sql, "c-open", {}, settings);
    await recordFailure(sql, "c-open", {}, settings);
    expect(await recordFailure(sql, "c-open", {}, settings)).toEqual({ from: "closed", to: "open" });
    expect(await recordFailure(sql, "c-open", {}, settings)).toBeUndefined();
    const open = await circuit("c-open");
    expect(open).toMatchObject({ state: "open", consecutiveFailures: 4 });
    expect(open.nextProbeAt!.getTime()).toBeGreaterThan(Date.now());
    expect(await passCircuit(sql, "c-open", settings)).toMatchObject({ pass: false });
  });

  it("lets exactly one probe through per interval; a failed probe reopens, a live one closes", async () => {
    const { sql } = database();
    for (let i = 0; i < 3; i++) await recordFailure(sql, "c-probe", {}, settings);
    expect((await circuit("c-probe")).state).toBe("open");
    const held = await passCircuit(sql, "c-probe", settings);
    expect(held.pass).toBe(false);
    await sleep(settings.probeMs + 50);
    const gates = await Promise.all([1, 2, 3, 4].map(() => passCircuit(sql, "c-probe", settings)));
    expect(gates.filter((g) => g.pass)).toEqual([{ pass: true, probe: true }]);
    expect((await circuit("c-probe")).state).toBe("half_open");
    // The probe failed: open again (no new transition to alert on), the next probe an interval later.
    expect(await recordFailure(sql, "c-probe", {}, settings)).toBeUndefined();
    expect((await circuit("c-probe")).state).toBe("open");
    expect((await passCircuit(sql, "c-probe", settings)).pass).toBe(false);
    await sleep(settings.probeMs + 50);
    expect(await passCircuit(sql, "c-probe", settings)).toEqual({ pass: true, probe: true });
    expect(await recordAlive(sql, "c-probe", settings)).toEqual({ from: "half_open", to: "closed" });
    expect(await circuit("c-probe")).toMatchObject({ state: "closed", consecutiveFailures: 0, nextProbeAt: null });
    expect(await passCircuit(sql, "c-probe", settings)).toEqual({ pass: true, probe: false });
  });

  it("pauses the connection for a 429's Retry-After, then lets everything through", async () => {
    const { sql } = database();
    expect(await recordFailure(sql, "c-429", { retryAfterMs: 500 }, settings)).toEqual({ from: "closed", to: "paused" });
    const c = await circuit("c-429");
    expect(c).toMatchObject({ state: "paused", pausedBy: "receiver" });
    const gate = await passCircuit(sql, "c-429", settings);
    expect(gate.pass).toBe(false);
    expect((gate as { until: Date }).until.getTime()).toBe(c.pausedUntil!.getTime());
    await sleep(550);
    expect(await passCircuit(sql, "c-429", settings)).toEqual({ pass: true, probe: false });
    expect(await recordAlive(sql, "c-429", settings)).toEqual({ from: "paused", to: "closed" });
  });

  it("keeps an operator's pause through failures and answers until resumed, with audit rows", async () => {
    const { sql } = database();
    await pauseConnection(sql, { name: "c-manual", reason: "receiver maintenance" }, systemActor("ops-test"));
    await recordFailure(sql, "c-manual", { retryAfterMs: 100 }, settings);
    await recordFailure(sql, "c-manual", {}, settings);
    await recordFailure(sql, "c-manual", {}, settings);
    expect(await recordAlive(sql, "c-manual", settings)).toBeUndefined();
    expect(await circuit("c-manual")).toMatchObject({ state: "paused", pausedBy: "ops-test", pausedUntil: null });
    expect((await passCircuit(sql, "c-manual", settings)).pass).toBe(false);
    expect(await resumeConnection(sql, { name: "c-manual" }, systemActor("ops-test"))).toMatchObject({ state: "closed", released: 0 });
    expect(await passCircuit(sql, "c-manual", settings)).toEqual({ pass: true, probe: false });
    const audit = await sql<{ action: string; actor_email: string }[]>`
      select action, actor_email from audit_log where target = 'c-manual' order by id`;
    expect(audit).toEqual([
      { action: "connection.paused", actor_email: "ops-test" },
      { action: "connection.resumed", actor_email: "ops-test" },
    ]);
    await expect(pauseConnection(sql, { name: "no-such" }, systemActor("ops-test"))).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("circuit alerts", () => {
  it("says 'still open' once per opening, past the threshold", async () => {
    const { sql } = database();
    await setConnection(sql, { name: "c-long", baseUrl: "http://127.0.0.1:1", allowPrivate: true });
    for (let i = 0; i < 3; i++) await recordFailure(sql, "c-long", {}, settings);
    expect(await markStillOpen(sql, "c-long", 60_000)).toBeUndefined();
    expect(await markStillOpen(sql, "c-long", 0)).toBeInstanceOf(Date);
    expect(await markStillOpen(sql, "c-long", 0)).toBeUndefined();
    await recordAlive(sql, "c-long", settings);
    for (let i = 0; i < 3; i++) await recordFailure(sql, "c-long", {}, settings);
    expect(await markStillOpen(sql, "c-long", 0)).toBeInstanceOf(Date);
  });
});

describe("circuit through real deliveries", () => {
  it("holds deliveries without spending attempts while open, probes, and releases them on recovery", async () => {
    const { sql } = database();
    const invoices: { number: string; recordId: string }[] = [];
    for (let i = 0; i < 6; i++) {
      const number = `INV/C/${i}-${randomBytes(3).toString("hex")}`;
      const { record } = await insertRecord(sql, "Invoice", { Invoice_No: number, Invoice_Date: "2025-12-12", Total_Amount: 100 + i });
      invoices.push({ number, recordId: record.recordId });
      sick.script(number, [{ status: 503 }, { status: 503 }, { status: 503 }]);
    }
    const ids = await sendRecords(sql, { entity: "Invoice", recordIds: invoices.map((i) => i.recordId), flowSlug: "invoice-to-sick" });
    // Three 503s in a row open the circuit.
    for (const id of ids.slice(0, 3)) expect(await deliverOnce(sql, id)).toMatchObject({ status: "pending", attempt: 1 });
    expect((await circuit("sick-system")).state).toBe("open");
    const before = sick.received.length;
    // The others are held: nothing sent, no attempt spent.
    for (const id of ids.slice(3)) expect(await deliverOnce(sql, id)).toMatchObject({ status: "held" });
    expect(sick.received.length).toBe(before);
    const held = await sql<{ attempts: number; status: string; held_since: Date | null }[]>`
      select attempts, status, held_since from deliveries where id = any(${ids.slice(3)}) order by created_at`;
    expect(held.every((d) => d.attempts === 0 && d.status === "pending" && d.held_since !== null)).toBe(true);
    expect((await circuit("sick-system")).held).toBe(3);
    // The probe: the receiver still answers 503 for this invoice (its second scripted answer).
    await sleep(settings.probeMs + 50);
    const probe = await deliverOnce(sql, ids[0]!);
    expect(probe).toMatchObject({ status: "pending" });
    expect(sick.received.length).toBe(before + 1);
    const [afterProbe] = await sql<{ attempts: number; held_since: Date | null }[]>`select attempts, held_since from deliveries where id = ${ids[0]!}`;
    expect(afterProbe).toMatchObject({ attempts: 1 });
    expect(afterProbe!.held_since).not.toBeNull();
    expect((await circuit("sick-system")).state).toBe("open");
    // Recovery: the next probe (an invoice the receiver now accepts) closes the circuit and releases the rest, paced.
    const ok = ids[3]!;
    sick.script(invoices[3]!.number, []);
    await sleep(settings.probeMs + 50);
    expect(await deliverOnce(sql, ok)).toMatchObject({ status: "succeeded", attempt: 1 });
    expect((await circuit("sick-system")).state).toBe("closed");
    const jobs = await sql<{ run_at: Date }[]>`
      select run_at from graphile_worker._private_jobs where key = any(${ids.filter((id) => id !== ok).map((id) => `delivery:${id}`)}) order by run_at`;
    expect(jobs.length).toBe(5);
    const gaps = jobs.slice(1).map((j, i) => j.run_at.getTime() - jobs[i]!.run_at.getTime());
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1000 / settings.releasePerSecond - 5);
    const released = await sql<{ held_since: Date | null }[]>`select held_since from deliveries where id = any(${ids})`;
    expect(released.every((d) => d.held_since === null)).toBe(true);
  });

  it("makes an operator's Failed Queue retry the probe at once instead of holding it", async () => {
    const { sql } = database();
    const number = `INV/C/retry-${randomBytes(3).toString("hex")}`;
    const { record } = await insertRecord(sql, "Invoice", { Invoice_No: number, Invoice_Date: "2025-12-12", Total_Amount: 100 });
    sick.script(number, [{ status: 503 }, { status: 503 }, { status: 503 }]);
    const [id] = await sendRecords(sql, { entity: "Invoice", recordIds: [record.recordId], flowSlug: "invoice-to-sick" });
    await deliverOnce(sql, id!);
    await deliverOnce(sql, id!);
    expect(await deliverOnce(sql, id!)).toMatchObject({ status: "failed", attempt: 3 });
    expect((await circuit("sick-system")).state).toBe("open");
    expect(await retryDeliveries(sql, [id!], "ops-test")).toEqual([id]);
    expect(await deliverOnce(sql, id!)).toMatchObject({ status: "succeeded", attempt: 4 });
    expect((await circuit("sick-system")).state).toBe("closed");
  });
});
