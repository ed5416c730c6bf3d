/** The dashboard's figures and the Prometheus endpoint, over a real database. */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/server/env";
import { systemActor } from "@/server/audit/actor";
import { recordExecution } from "../executions/record-execution";
import { setConnection } from "../outgoing/connections";
import { pauseConnection } from "../outgoing/pause-connection";
import { useTestDatabase } from "../testing/database";
import { GET as health } from "@/app/api/health/route";
import { getDashboard } from "./dashboard";
import { metricsResponse, metricsTokenMatches } from "./endpoint";
import { closeEventLoopWindow, eventLoopLag } from "./event-loop";

const TOKEN = "metrics-token-0123456789";
vi.stubEnv("FLOWPORT_METRICS_TOKEN", TOKEN);
resetEnvForTests();

const database = useTestDatabase();
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

beforeAll(async () => {
  const { sql } = database();
  // vendor-master: 20 calls an hour ago (2 failed, durations 1..20 ms); an outgoing flow: 4 attempts 3 days ago.
  for (let i = 1; i <= 20; i++) {
    await recordExecution(sql, {
      startedAt: hoursAgo(1), direction: "incoming", flowSlug: "vendor-master", status: i <= 2 ? "FAILED" : "SUCCESS",
      httpStatus: i <= 2 ? 400 : 200, errorCode: i <= 2 ? "INVALID_GST" : null, durationMs: i,
    });
  }
  for (let i = 1; i <= 4; i++) {
    await recordExecution(sql, {
      startedAt: hoursAgo(72), direction: "outgoing", flowSlug: "invoice-to-accounting", status: i === 1 ? "FAILED" : "SUCCESS",
      httpStatus: i === 1 ? 500 : 201, errorCode: i === 1 ? "EXTERNAL_ERROR" : null, connectionName: "accounting-system", durationMs: 100,
    });
  }
  // Dry runs are not traffic.
  await recordExecution(sql, { startedAt: hoursAgo(1), direction: "incoming", mode: "dry", flowSlug: "vendor-master", status: "FAILED", errorCode: "X", durationMs: 1 });
  await sql`
    insert into deliveries (flow_id, flow_slug, flow_version, entity, record_id, trigger, idempotency_key, status, max_attempts)
    values (${randomUUID()}, 'invoice-to-accounting', 1, 'Invoice', 'INV-1', 'event', ${randomUUID()}, 'failed', 5)`;
});

describe("dashboard", () => {
  it("counts requests and deliveries per hour with error rate, p95 and top error codes", async () => {
    const { sql } = database();
    const day = await getDashboard(sql, { range: "24h" });
    expect(day.hours).toHaveLength(24);
    expect(day.totals).toMatchObject({ incoming: 20, outgoing: 0, errors: 2, errorRate: 0.1 });
    const hour = day.hours.find((h) => h.incoming > 0)!;
    expect(hour).toMatchObject({ incoming: 20, errors: 2, errorRate: 0.1 });
    expect(hour.p95Ms).toBeCloseTo(19.1, 1);
    expect(day.topErrors).toEqual([{ errorCode: "INVALID_GST", count: 2 }]);

    const week = await getDashboard(sql, { range: "7d" });
    expect(week.hours).toHaveLength(168);
    expect(week.totals).toMatchObject({ incoming: 20, outgoing: 4, errors: 3 });
    expect(week.flows.find((f) => f.flowSlug === "invoice-to-accounting")).toMatchObject({ direction: "outgoing", total: 4, errors: 1, errorRate: 0.25, p95Ms: 100 });
    expect((await getDashboard(sql, { range: "7d", flowSlug: "invoice-to-accounting" })).totals.incoming).toBe(0);
    expect(week.unknownEndpoints).toEqual({ calls: 0, paths: 0, p95Ms: null });
  });

  it("groups calls to unknown endpoints in one figure with their count, never as flows (a 3,000-character slug included)", async () => {
    const { sql } = database();
    const slugs = ["x".repeat(3000), "vendor-mastr", "vendor-mastr", "nope"];
    for (const flowSlug of slugs) {
      await recordExecution(sql, {
        startedAt: hoursAgo(2), direction: "incoming", flowSlug, status: "FAILED", httpStatus: 404, errorCode: "ENDPOINT_NOT_FOUND", durationMs: 2,
      });
    }
    const day = await getDashboard(sql, { range: "24h" });
    expect(day.unknownEndpoints).toEqual({ calls: 4, paths: 3, p95Ms: 2 });
    expect(day.flows.map((f) => f.flowSlug)).toEqual(["vendor-master"]);
    // Still traffic: counted in the totals and the error codes.
    expect(day.totals).toMatchObject({ incoming: 24, errors: 6 });
    expect(day.topErrors).toContainEqual({ errorCode: "ENDPOINT_NOT_FOUND", count: 4 });
  });
});

describe("GET /api/metrics", () => {
  it("answers 401 without the token or with a wrong one", async () => {
    expect((await metricsResponse(new Request("http://x/api/metrics"))).status).toBe(401);
    expect((await metricsResponse(new Request("http://x/api/metrics", { headers: { authorization: "Bearer wrong" } }))).status).toBe(401);
    expect(metricsTokenMatches(`Bearer ${TOKEN}`, undefined)).toBe(false);
  });

  it("exposes requests, durations, deliveries, queue depth and the Failed Queue size in Prometheus format", async () => {
    const res = await metricsResponse(new Request("http://x/api/metrics", { headers: { authorization: `Bearer ${TOKEN}` } }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('flowport_incoming_requests_total{flow="vendor-master",status="SUCCESS",http_status="200"} 18');
    expect(text).toContain('flowport_incoming_requests_total{flow="vendor-master",status="FAILED",http_status="400"} 2');
    expect(text).toContain('flowport_incoming_request_duration_seconds_count{flow="vendor-master"} 20');
    expect(text).toContain('flowport_outgoing_delivery_attempts_total{flow="invoice-to-accounting",status="FAILED",connection="accounting-system"} 1');
    expect(text).toContain("flowport_failed_queue_size 1");
    expect(text).toContain('flowport_deliveries{status="failed"} 1');
    expect(text).toMatch(/# TYPE flowport_job_queue_depth gauge/);
  });

  it("exposes each connection's circuit state and held deliveries", async () => {
    const { sql } = database();
    await setConnection(sql, { name: "metrics-receiver", baseUrl: "http://127.0.0.1:1", allowPrivate: true });
    await pauseConnection(sql, { name: "metrics-receiver" }, systemActor("test"));
    const text = await (await metricsResponse(new Request("http://x/api/metrics", { headers: { authorization: `Bearer ${TOKEN}` } }))).text();
    expect(text).toContain('flowport_connection_circuit_state{connection="metrics-receiver",state="paused"} 1');
    expect(text).toContain('flowport_connection_circuit_state{connection="metrics-receiver",state="closed"} 0');
    expect(text).toContain('flowport_connection_held_deliveries{connection="metrics-receiver"} 0');
  });
});

describe("event-loop lag", () => {
  const metricsText = async () => (await metricsResponse(new Request("http://x/api/metrics", { headers: { authorization: `Bearer ${TOKEN}` } }))).text();
  const gauge = (text: string, quantile: string) => Number(new RegExp(`^flowport_event_loop_lag_seconds\\{quantile="${quantile}"\\} (\\S+)$`, "m").exec(text)?.[1]);

  it("reports a window in which the main thread was held in /api/metrics and /api/health, then a quiet one", async () => {
    eventLoopLag();
    await new Promise((r) => setTimeout(r, 50));
    const until = performance.now() + 150;
    while (performance.now() < until) {
      // Hold the thread, as one long synchronous step would.
    }
    await new Promise((r) => setTimeout(r, 30));
    const held = closeEventLoopWindow();
    expect(held.maxMs).toBeGreaterThanOrEqual(120);
    expect(held.windowSeconds).toBeGreaterThanOrEqual(0.2);

    const text = await metricsText();
    expect(text).toMatch(/# TYPE flowport_event_loop_lag_seconds gauge/);
    expect(gauge(text, "1")).toBeGreaterThanOrEqual(0.12);
    expect(gauge(text, "0.99")).toBeGreaterThanOrEqual(gauge(text, "0.5"));
    const body = (await (await health()).json()) as { eventLoop: { lagMs: number; p99Ms: number; maxMs: number } };
    expect(body.eventLoop).toEqual(held);

    await new Promise((r) => setTimeout(r, 200));
    const quiet = closeEventLoopWindow();
    expect(quiet.maxMs).toBeLessThan(100);
    expect(gauge(await metricsText(), "1")).toBeLessThan(0.1);
  });
});
