/**
 * A connection's own retry schedule and attempts (issue 18): a flow that leaves `retry` out
 * follows its connection's; a flow's explicit policy wins; without either, the default schedule.
 * Checked on real deliveries through a receiver answering 503: the delivery's attempt allowance,
 * its next attempt time and the one its log entry shows.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { FlowFile } from "@/flows/format";
import { DEFAULT_RETRY_SCHEDULE_MS } from "@/flows/nodes/send/definition";
import { systemActor } from "@/server/audit/actor";
import { resetEnvForTests } from "@/server/env";
import { insertRecord } from "@/server/records/store";
import { useTestDatabase } from "../testing/database";
import { saveConnection } from "./connection-actions";
import { deliverOnce } from "./deliver";
import { retryDeliveries } from "./failed-queue";
import { sendRecords } from "./manual-send";
import { invoiceManualFlow, publish, startAccountingReceiver, variantOf, type Receiver } from "./testing-receiver";

vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
resetEnvForTests();

const database = useTestDatabase();
let receiver: Receiver;

/** The manual invoice flow through `connection`, with the send node's `retry` as given (left out: undefined). */
function flowThrough(slug: string, connection: string, retry: Record<string, unknown> | undefined): FlowFile {
  const flow = variantOf(invoiceManualFlow(), slug, { connection });
  const send = flow.nodes.find((n) => n.type === "send")!.config as Record<string, unknown>;
  if (retry === undefined) delete send.retry;
  else send.retry = retry;
  return flow;
}

beforeAll(async () => {
  const { sql } = database();
  receiver = await startAccountingReceiver(sql);
  await saveConnection(sql, { name: "slow-erp", baseUrl: receiver.url, allowPrivate: true, retrySchedule: "1m, 2h", maxAttempts: 3 }, systemActor("test"));
  await publish(sql, flowThrough("via-connection", "slow-erp", undefined));
  await publish(sql, flowThrough("flow-explicit", "slow-erp", { maxAttempts: 2, scheduleMs: [1_000] }));
  await publish(sql, flowThrough("flow-attempts-only", "slow-erp", { maxAttempts: 5 }));
  await publish(sql, flowThrough("by-default", "accounting-system", undefined));
});

afterAll(async () => {
  await receiver?.close();
});

const NOW = new Date("2026-12-05T10:00:00.000Z");
/** No jitter: random() = 0.5 puts each delay exactly on the schedule. */
const exact = { now: () => NOW, random: () => 0.5 };

/** One delivery of a fresh invoice by `flowSlug`, its first attempt answered 503 (and the next ones, as scripted). */
async function failOnce(flowSlug: string, answers = [{ status: 503 }]) {
  const sql = database().sql;
  const number = `INV/R/${randomBytes(3).toString("hex")}`;
  const { record } = await insertRecord(sql, "Invoice", { Invoice_No: number, Invoice_Date: "2025-12-12", Total_Amount: 100 });
  receiver.script(number, answers);
  const [id] = await sendRecords(sql, { entity: "Invoice", recordIds: [record.recordId], flowSlug });
  const outcome = await deliverOnce(sql, id!, exact);
  const [row] = await sql<{ max_attempts: number; next_attempt_at: Date | null; logged: string | null }[]>`
    select d.max_attempts, d.next_attempt_at, (select e.response ->> 'nextAttemptAt' from executions e where e.delivery_id = d.id order by e.attempts desc limit 1) as logged
    from deliveries d where d.id = ${id!}`;
  return { id: id!, outcome, ...row! };
}

const after = (ms: number) => new Date(NOW.getTime() + ms);

describe("retry schedule per connection", () => {
  it("follows the connection's schedule and attempts when the flow sets no policy, in the delivery and its log", async () => {
    const { outcome, max_attempts, next_attempt_at, logged } = await failOnce("via-connection");
    expect(outcome).toMatchObject({ status: "pending", attempt: 1, nextAttemptAt: after(60_000) });
    expect(max_attempts).toBe(3);
    expect(next_attempt_at).toEqual(after(60_000));
    expect(logged).toBe(after(60_000).toISOString());
  });

  it("keeps a flow's explicit policy over the connection's", async () => {
    const { outcome, max_attempts } = await failOnce("flow-explicit");
    expect(outcome).toMatchObject({ status: "pending", nextAttemptAt: after(1_000) });
    expect(max_attempts).toBe(2);
  });

  it("takes from the connection only what the flow leaves out: its attempts set, the connection's schedule", async () => {
    const { outcome, max_attempts } = await failOnce("flow-attempts-only");
    expect(outcome).toMatchObject({ status: "pending", nextAttemptAt: after(60_000) });
    expect(max_attempts).toBe(5);
  });

  it("uses the default schedule (8 attempts, 5 s first) through a connection without its own", async () => {
    const { outcome, max_attempts } = await failOnce("by-default");
    expect(outcome).toMatchObject({ status: "pending", nextAttemptAt: after(DEFAULT_RETRY_SCHEDULE_MS[0]!) });
    expect(max_attempts).toBe(8);
  });

  it("reads the connection's schedule at each attempt and gives a Failed Queue retry the connection's allowance", async () => {
    const sql = database().sql;
    // The earlier tests' 503s count on the connection's circuit: start this one closed.
    await sql`delete from connection_circuits where connection_name = 'slow-erp'`;
    const { id } = await failOnce("via-connection", [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }]);
    // Changed while the delivery waits: its next retry follows the new schedule.
    await saveConnection(sql, { name: "slow-erp", retrySchedule: "10s, 20s" }, systemActor("test"), { keepUnset: true });
    expect(await deliverOnce(sql, id, exact)).toMatchObject({ status: "pending", attempt: 2, nextAttemptAt: after(20_000) });
    expect(await deliverOnce(sql, id, exact)).toMatchObject({ status: "failed", attempt: 3 });
    expect(await retryDeliveries(sql, [id], "ops@example.com")).toEqual([id]);
    const [row] = await sql<{ max_attempts: number }[]>`select max_attempts from deliveries where id = ${id}`;
    expect(row!.max_attempts).toBe(6); // 3 made + the connection's 3
  });
});
