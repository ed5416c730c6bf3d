/**
 * Prometheus metrics (prom-client). Each process counts the executions it logs: incoming calls
 * and outgoing delivery attempts, observed where every execution is written
 * (server/executions/record-execution.ts). Queue depth and the Failed Queue are read from the
 * database at scrape time, so they are the same whichever replica answers.
 *
 * `flowport_event_loop_lag_seconds` is this process's main-thread lag over the last window
 * (server/metrics/event-loop.ts); quantile "1" is the window's maximum.
 *
 * The registry lives on globalThis: the node:http handler (loaded by tsx) and Next's bundled
 * route handler each load their own copy of this module, and must count into one registry.
 */
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Queryable } from "@/server/db/queryable";
import { CIRCUIT_STATES, listCircuits } from "@/server/outgoing/circuit";
import { env } from "@/server/env";
import { deliveriesGivingWay } from "@/server/outgoing/give-way";
import { otherProcessesMetrics, type MetricsJson } from "./cluster";
import { eventLoopLag } from "./event-loop";

type DatabaseGetter = () => Promise<Queryable>;

interface Metrics {
  registry: Registry;
  incomingRequests: Counter<"flow" | "status" | "http_status">;
  incomingDuration: Histogram<"flow">;
  outgoingAttempts: Counter<"flow" | "status" | "connection">;
  outgoingDuration: Histogram<"flow">;
  setDatabase(getter: DatabaseGetter): void;
}

const KEY = Symbol.for("flowport.metrics");
type Holder = typeof globalThis & { [KEY]?: Metrics };

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function createMetrics(): Metrics {
  const registry = new Registry();
  let database: DatabaseGetter | undefined;
  const incomingRequests = new Counter({
    name: "flowport_incoming_requests_total",
    help: "Incoming integration calls answered, by flow, outcome and HTTP status",
    labelNames: ["flow", "status", "http_status"] as const,
    registers: [registry],
  });
  const incomingDuration = new Histogram({
    name: "flowport_incoming_request_duration_seconds",
    help: "Time to answer an incoming integration call",
    labelNames: ["flow"] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const outgoingAttempts = new Counter({
    name: "flowport_outgoing_delivery_attempts_total",
    help: "Outgoing delivery attempts, by flow, outcome and connection",
    labelNames: ["flow", "status", "connection"] as const,
    registers: [registry],
  });
  const outgoingDuration = new Histogram({
    name: "flowport_outgoing_delivery_duration_seconds",
    help: "Time of one outgoing delivery attempt (mapping, sending, reading the answer)",
    labelNames: ["flow"] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: "flowport_deliveries",
    help: "Outgoing deliveries by state (failed = the Failed Queue)",
    labelNames: ["status"] as const,
    registers: [registry],
    async collect() {
      if (!database) return;
      const sql = await database();
      const rows = await sql<{ status: string; n: number }[]>`
        select status, count(*)::int as n from deliveries where status in ('pending', 'delivering', 'failed') group by status`;
      this.reset();
      for (const status of ["pending", "delivering", "failed"]) this.set({ status }, rows.find((r) => r.status === status)?.n ?? 0);
    },
  });
  // Circuits per connection (server/outgoing/circuit.ts): 1 on the label of the current state.
  new Gauge({
    name: "flowport_connection_circuit_state",
    help: "A connection's circuit: 1 for its current state (closed, open, half_open, paused)",
    labelNames: ["connection", "state"] as const,
    registers: [registry],
    async collect() {
      if (!database) return;
      const circuits = await listCircuits(await database());
      this.reset();
      for (const c of circuits) for (const state of CIRCUIT_STATES) this.set({ connection: c.connection, state }, c.state === state ? 1 : 0);
    },
  });
  new Gauge({
    name: "flowport_connection_held_deliveries",
    help: "Deliveries a connection's open or paused circuit holds (no attempt spent while held)",
    labelNames: ["connection"] as const,
    registers: [registry],
    async collect() {
      if (!database) return;
      const circuits = await listCircuits(await database());
      this.reset();
      for (const c of circuits) this.set({ connection: c.connection }, c.held);
    },
  });
  new Gauge({
    name: "flowport_failed_queue_size",
    help: "Deliveries waiting in the Failed Queue for a retry or a discard",
    registers: [registry],
    async collect() {
      if (!database) return;
      const sql = await database();
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from deliveries where status = 'failed'`;
      this.set(row?.n ?? 0);
    },
  });
  new Gauge({
    name: "flowport_job_queue_depth",
    help: "Jobs waiting in the job queue (graphile-worker), by task; ready = due now and not taken",
    labelNames: ["task", "state"] as const,
    registers: [registry],
    async collect() {
      if (!database) return;
      const sql = await database();
      const rows = await sql<{ task: string; ready: number; scheduled: number; running: number }[]>`
        select task_identifier as task,
          count(*) filter (where locked_at is null and run_at <= now())::int as ready,
          count(*) filter (where locked_at is null and run_at > now())::int as scheduled,
          count(*) filter (where locked_at is not null)::int as running
        from graphile_worker.jobs group by task_identifier`;
      this.reset();
      for (const r of rows) {
        this.set({ task: r.task, state: "ready" }, r.ready);
        this.set({ task: r.task, state: "scheduled" }, r.scheduled);
        this.set({ task: r.task, state: "running" }, r.running);
      }
    },
  });
  new Gauge({
    name: "flowport_event_loop_lag_seconds",
    help: "Event-loop lag of the thread answering API calls over the last 10 s window, by quantile (1 = max)",
    labelNames: ["quantile"] as const,
    registers: [registry],
    // Across the web and worker processes (cluster.ts): the worst of them, not their sum.
    aggregator: "max",
    collect() {
      const lag = eventLoopLag();
      this.set({ quantile: "0.5" }, lag.lagMs / 1000);
      this.set({ quantile: "0.99" }, lag.p99Ms / 1000);
      this.set({ quantile: "1" }, lag.maxMs / 1000);
    },
  });
  new Gauge({
    name: "flowport_deliveries_giving_way",
    help: "1 while delivery jobs give way to live calls: the web process is busy answering incoming calls, and deliveries start paced (server/outgoing/give-way.ts)",
    registers: [registry],
    // Only the process running delivery jobs says 1 (cluster.ts aggregates the web and worker processes).
    aggregator: "max",
    collect() {
      this.set(deliveriesGivingWay() ? 1 : 0);
    },
  });
  return { registry, incomingRequests, incomingDuration, outgoingAttempts, outgoingDuration, setDatabase: (g) => void (database = g) };
}

export function metrics(): Metrics {
  const holder = globalThis as Holder;
  holder[KEY] ??= createMetrics();
  return holder[KEY];
}

/** Counts one logged execution. Dry runs and replays are operator actions, not traffic: not counted. */
export function observeExecution(e: { direction: "incoming" | "outgoing"; mode?: string; flowSlug?: string | null; status: string; httpStatus?: number | null; connectionName?: string | null; durationMs: number }): void {
  if (e.mode && e.mode !== "live") return;
  const m = metrics();
  const flow = e.flowSlug ?? "";
  if (e.direction === "incoming") {
    m.incomingRequests.inc({ flow, status: e.status, http_status: String(e.httpStatus ?? "") });
    m.incomingDuration.observe({ flow }, e.durationMs / 1000);
  } else {
    m.outgoingAttempts.inc({ flow, status: e.status, connection: e.connectionName ?? "" });
    m.outgoingDuration.observe({ flow }, e.durationMs / 1000);
  }
}

/**
 * The exposition text for GET /api/metrics, database gauges read now; in the supervisor's web
 * process, aggregated with the worker process's metrics (cluster.ts).
 */
export async function renderMetrics(database: DatabaseGetter): Promise<{ contentType: string; body: string }> {
  const m = metrics();
  m.setDatabase(database);
  const others = await otherProcessesMetrics(env().FLOWPORT_SUPERVISED);
  if (others.length === 0) return { contentType: m.registry.contentType, body: await m.registry.metrics() };
  const own = (await m.registry.getMetricsAsJSON()) as MetricsJson;
  const aggregated = AggregatorRegistry.aggregate([own, ...others]);
  return { contentType: m.registry.contentType, body: await aggregated.metrics() };
}

/** This process's metrics as JSON (a supervised worker answers the web process's scrape with it). */
export async function metricsJson(): Promise<MetricsJson> {
  return (await metrics().registry.getMetricsAsJSON()) as MetricsJson;
}
