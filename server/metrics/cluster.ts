/**
 * Metrics across the supervisor's processes (server/launcher/supervisor.ts): the web process
 * answers /api/metrics, but outgoing deliveries and the worker's event loop are counted in the
 * worker process. At scrape time the web process asks the supervisor over its IPC channel, the
 * supervisor asks the worker, and the worker's registry comes back as JSON to be aggregated with
 * prom-client's AggregatorRegistry (counters and histograms summed; see registry.ts for gauges).
 * Database gauges are read by the web process alone: the worker has no database getter, so its
 * copies of them are empty.
 */
import type { MetricObjectWithValues, MetricValue } from "prom-client";
import { logger } from "@/server/log";

export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

export const METRICS_REQUEST = "flowport:metrics-request";
export const METRICS_REPLY = "flowport:metrics-reply";

export interface MetricsRequest {
  type: typeof METRICS_REQUEST;
  id: number;
}
export interface MetricsReply {
  type: typeof METRICS_REPLY;
  id: number;
  metrics: MetricsJson[];
}

const REPLY_TIMEOUT_MS = 2_000;

interface Relay {
  next: number;
  pending: Map<number, (metrics: MetricsJson[]) => void>;
}
const KEY = Symbol.for("flowport.metricsRelay");
type Holder = typeof globalThis & { [KEY]?: Relay };

function relay(): Relay {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const state: Relay = { next: 1, pending: new Map() };
    process.on("message", (message: Partial<MetricsReply>) => {
      if (message?.type !== METRICS_REPLY || typeof message.id !== "number") return;
      state.pending.get(message.id)?.(message.metrics ?? []);
      state.pending.delete(message.id);
    });
    holder[KEY] = state;
  }
  return holder[KEY];
}

/**
 * The other processes' metrics, as JSON registries; none when this process is not a supervised
 * one (single process: everything is counted here) or when they do not answer within 2 s.
 */
export function otherProcessesMetrics(supervised: boolean): Promise<MetricsJson[]> {
  if (!supervised || !process.send || !process.connected) return Promise.resolve([]);
  const state = relay();
  const id = state.next++;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      state.pending.delete(id);
      logger().warn("the worker process's metrics did not arrive within 2 s; /api/metrics shows this process's only");
      resolve([]);
    }, REPLY_TIMEOUT_MS);
    state.pending.set(id, (metrics) => {
      clearTimeout(timer);
      resolve(metrics);
    });
    process.send!({ type: METRICS_REQUEST, id } satisfies MetricsRequest);
  });
}

/** In a supervised worker: answer the supervisor's metrics requests with this process's registry. */
export function answerMetricsRequests(collect: () => Promise<MetricsJson>): void {
  process.on("message", (message: Partial<MetricsRequest>) => {
    if (message?.type !== METRICS_REQUEST || typeof message.id !== "number" || !process.send) return;
    const id = message.id;
    void collect()
      .then((metrics) => process.send?.({ type: METRICS_REPLY, id, metrics: [metrics] } satisfies MetricsReply))
      .catch((error: unknown) => {
        logger().warn({ err: error }, "could not collect this process's metrics");
        process.send?.({ type: METRICS_REPLY, id, metrics: [] } satisfies MetricsReply);
      });
  });
}
