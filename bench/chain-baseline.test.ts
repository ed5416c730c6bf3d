import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "@/server/db/embedded-postgres";
import { seedOnFirstRun } from "@/server/seed";
import { erpDemoSeeder } from "@/server/seed/erp-demo";
import { useTestDatabase } from "@/server/testing/database";
import { ROOT, waitUntil } from "@/server/testing/processes";
import { deliveryMetrics, type Send } from "./chain-metrics";
import type { LoadResult } from "./load";

// The chain bench's hand-written baseline and its load's send log, on a real database and real HTTP:
// every accepted vendor call reaches the receiver once, mapped as the portal flow maps it.
const db = useTestDatabase();
const posts: { key: string | undefined; body: Record<string, unknown>; at: number }[] = [];
const receiver = http.createServer((req, res) => {
  let text = "";
  req.on("data", (c) => (text += c));
  req.on("end", () => {
    posts.push({ key: req.headers["idempotency-key"] as string | undefined, body: JSON.parse(text), at: performance.timeOrigin + performance.now() });
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
});
let baseline: ChildProcess | undefined;
let url = "";

beforeAll(async () => {
  await seedOnFirstRun(db(), [erpDemoSeeder]);
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const port = await findFreePort();
  baseline = spawn(process.execPath, ["--import", "tsx", "bench/chain-baseline.ts", db().url, String(port), `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v`], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  baseline.stdout!.on("data", (d) => (out += d));
  await waitUntil(() => out.includes("ready"), 30_000, "the chain baseline");
  url = `http://127.0.0.1:${port}/`;
}, 60_000);

afterAll(async () => {
  baseline?.kill("SIGTERM");
  receiver.closeAllConnections();
  await new Promise((r) => receiver.close(r));
});

describe("hand-written chain baseline", () => {
  it("delivers each accepted call once, with the portal flow's mapping and the city's state", async () => {
    const sendLog = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "chain-test-")), "sends.json");
    const spec = JSON.stringify({ url, headers: { "content-type": "application/json" }, prefix: "TST", durationMs: 700, connections: 2, sendLog });
    const result = await new Promise<LoadResult>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", "bench/load-worker.ts", spec], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      child.stdout!.on("data", (d) => (out += d));
      child.once("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!)) : reject(new Error(`load worker exited ${code}`))));
    });
    const sends = JSON.parse(fs.readFileSync(sendLog, "utf8")) as Send[];
    expect(result.requests).toBeGreaterThan(0);
    expect(sends).toHaveLength(result.requests);
    expect(result.non2xx).toBe(0);
    expect(result.endedAt).toBeGreaterThanOrEqual(Math.max(...sends.map(([, sentAt]) => sentAt)));

    await waitUntil(() => posts.length >= sends.length, 20_000, "every delivery");
    const arrivals = new Map(posts.map((p) => [String(p.body.gstin), p.at]));
    const metrics = deliveryMetrics(sends, arrivals, result.endedAt);
    expect(metrics).toMatchObject({ accepted: sends.length, delivered: sends.length, undelivered: 0 });
    expect(metrics.p50Ms).toBeGreaterThan(0);
    expect(new Set(posts.map((p) => p.key)).size).toBe(posts.length);
    expect(posts[0]!.body).toEqual({
      name: expect.stringMatching(/^Bench Vendor \d+$/),
      gstin: sends.find(([gstin]) => gstin === posts[0]!.body.gstin)![0],
      contact: { person: "Load Test", mobile: "9876543210", email: "bench@example.com" },
      address: { city: "Mumbai", state: "Maharashtra" },
    });
    const [pending] = await db().sql<{ n: number }[]>`select count(*)::int as n from bench_outbox where done_at is null`;
    expect(pending!.n).toBe(0);
  }, 60_000);

  it("a refused call (GSTIN taken) leaves no outbox row and sends nothing", async () => {
    const vendor = { vendorName: "Twice Traders", gstNumber: "27TWICE1234F1Z5", city: "Pune" };
    const post = () => fetch(url, { method: "POST", body: JSON.stringify(vendor) }).then((r) => r.status);
    expect(await post()).toBe(200);
    await waitUntil(() => posts.some((p) => p.body.gstin === vendor.gstNumber), 10_000, "the first delivery");
    expect(await post()).toBe(409);
    await new Promise((r) => setTimeout(r, 300));
    expect(posts.filter((p) => p.body.gstin === vendor.gstNumber)).toHaveLength(1);
    expect(posts.find((p) => p.body.gstin === vendor.gstNumber)!.body.address).toEqual({ city: "Pune", state: "Maharashtra" });
    const [rows] = await db().sql<{ n: number }[]>`select count(*)::int as n from bench_outbox where payload->>'GST_No' = ${vendor.gstNumber}`;
    expect(rows!.n).toBe(1);
  });
});
