/**
 * Receiver protection (receiver-limits.ts) across worker processes: two job workers on two
 * connection pools of their own (what two processes share is the database), one receiver that
 * counts the calls it has open at once and when each started.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import postgres, { type Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/server/env";
import { startWorker, type WorkerHandle } from "@/server/jobs/runner";
import { insertRecord } from "@/server/records/store";
import { useTestDatabase } from "../testing/database";
import { setConnection } from "./connections";
import { setCredential } from "./credentials";
import { sendRecords, waitForDeliveries } from "./manual-send";
import { releaseLease, tryLease, tryToken } from "./receiver-limits";
import { invoiceManualFlow, publish, variantOf } from "./testing-receiver";

vi.stubEnv("FLOWPORT_SECRET_KEY", randomBytes(32).toString("base64"));
resetEnvForTests();

const database = useTestDatabase();
let other: Sql;
const calls: { start: number; end: number }[] = [];
let open = 0;
let maxOpen = 0;
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const call = { start: Date.now(), end: 0 };
    calls.push(call);
    maxOpen = Math.max(maxOpen, ++open);
    setTimeout(() => {
      open--;
      call.end = Date.now();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok", referenceId: `L-${calls.length}` }));
    }, 150);
  });
});

beforeAll(async () => {
  const { sql, url } = database();
  other = postgres(url, { max: 4, onnotice: () => undefined });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await setCredential(sql, { name: "accounting-api-token", type: "bearer", secret: "tok_limits_0123456789" });
  await setConnection(sql, { name: "narrow-system", baseUrl: base, allowPrivate: true, maxInFlight: 2 });
  await setConnection(sql, { name: "slow-system", baseUrl: base, allowPrivate: true, maxPerSecond: 5 });
  await publish(sql, variantOf(invoiceManualFlow(), "invoice-to-narrow", { connection: "narrow-system" }));
  await publish(sql, variantOf(invoiceManualFlow(), "invoice-to-slow", { connection: "slow-system" }));
});

afterAll(async () => {
  await other?.end({ timeout: 5 });
  await new Promise((r) => server.close(r));
});

/** `count` invoices sent through `flowSlug`, each in a job of its own (so both workers take some). */
async function queue(flowSlug: string, count: number): Promise<string[]> {
  const { sql } = database();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { record } = await insertRecord(sql, "Invoice", { Invoice_No: `INV/L/${randomBytes(3).toString("hex")}`, Invoice_Date: "2025-12-12", Total_Amount: 100 + i });
    ids.push(...(await sendRecords(sql, { entity: "Invoice", recordIds: [record.recordId], flowSlug })));
  }
  return ids;
}

async function withTwoWorkers<T>(fn: () => Promise<T>): Promise<T> {
  const { sql, url } = database();
  const workers: WorkerHandle[] = [await startWorker({ url, sql }), await startWorker({ url, sql: other })];
  try {
    return await fn();
  } finally {
    for (const w of workers) await w.stop();
  }
}

describe("receiver limits, database-wide", () => {
  it("gives out each in-flight slot once, whichever pool asks, and takes back released ones", async () => {
    const { sql } = database();
    const takers = [sql, other, sql, other, sql, other, sql, other];
    const slots = await Promise.all(takers.map((s) => tryLease(s, "lease-test", 3)));
    expect(slots.filter((s) => s !== undefined).sort()).toEqual([0, 1, 2]);
    await releaseLease(other, "lease-test", 1);
    expect(await tryLease(sql, "lease-test", 3)).toBe(1);
    expect(await tryLease(other, "lease-test", 3)).toBeUndefined();
  });

  it("hands out one token per 1/rate seconds, whichever pool asks", async () => {
    const { sql } = database();
    const first = await Promise.all([sql, other, sql, other].map((s) => tryToken(s, "token-test", 10)));
    expect(first.filter(Boolean)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 120));
    const second = await Promise.all([sql, other, sql, other].map((s) => tryToken(s, "token-test", 10)));
    expect(second.filter(Boolean)).toHaveLength(1);
  });

  it("keeps a connection's max in flight across two workers", async () => {
    calls.length = 0;
    maxOpen = 0;
    const ids = await queue("invoice-to-narrow", 12);
    const { done, deliveries } = await withTwoWorkers(() => waitForDeliveries(database().sql, ids, 60_000));
    expect(done).toBe(true);
    expect(deliveries.every((d) => d.status === "succeeded")).toBe(true);
    expect(calls).toHaveLength(12);
    expect(maxOpen).toBeLessThanOrEqual(2);
    expect(maxOpen).toBe(2);
  });

  it("keeps a connection's calls per second across two workers", async () => {
    calls.length = 0;
    maxOpen = 0;
    const ids = await queue("invoice-to-slow", 12);
    const { done } = await withTwoWorkers(() => waitForDeliveries(database().sql, ids, 60_000));
    expect(done).toBe(true);
    const starts = calls.map((c) => c.start).sort((a, b) => a - b);
    expect(starts).toHaveLength(12);
    // At most 5 per second: in any second, no more than 5 calls start (one more for the edges of the window).
    for (const start of starts) expect(starts.filter((s) => s >= start && s < start + 1000).length).toBeLessThanOrEqual(6);
    // 12 calls spaced 200 ms apart take over two seconds.
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(2000);
  });
});
