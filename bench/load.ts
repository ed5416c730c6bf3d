/**
 * A small closed-loop HTTP load generator: `connections` keep-alive sockets each
 * send their next POST as soon as the previous answer arrives, for `durationMs`.
 * Run it in its own process (bench/load-worker.ts) so it never shares an event
 * loop with the server it measures. Traffic goes to 127.0.0.1 only.
 */
import http from "node:http";

export interface LoadOptions {
  url: string;
  connections: number;
  durationMs: number;
  headers: Record<string, string>;
  /** The body of request number `i` (unique GSTINs, say). */
  body: (i: number) => string;
  /** Called when request `i`'s answer arrives: `sentAt` is when it was sent, in epoch ms (comparable across processes). */
  onAnswer?: (i: number, sentAt: number, status: number) => void;
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
  /** When the last answer arrived, in epoch ms: the end of the load. */
  endedAt: number;
}

/** Epoch milliseconds with sub-millisecond resolution, comparable between processes on one machine. */
export const epochMs = () => performance.timeOrigin + performance.now();

/** The value below which a fraction `p` of the sorted `values` lie (nearest rank), rounded to 0.01. */
export function percentile(sorted: readonly number[], p: number): number {
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0) * 100) / 100;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  if (target.hostname !== "127.0.0.1" && target.hostname !== "localhost") throw new Error("load tests only target 127.0.0.1");
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let counter = 0;
  let errors = 0;
  const deadline = performance.now() + options.durationMs;

  const one = (body: string) =>
    new Promise<number>((resolve) => {
      const req = http.request(
        { agent, host: target.hostname, port: target.port, path: target.pathname, method: "POST", headers: { ...options.headers, "content-length": Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", () => resolve(0));
      req.end(body);
    });

  const loop = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      const i = counter++;
      const status = await one(options.body(i));
      latencies.push(performance.now() - started);
      options.onAnswer?.(i, performance.timeOrigin + started, status);
      if (status === 0) errors++;
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  const began = performance.now();
  await Promise.all(Array.from({ length: options.connections }, loop));
  const elapsed = (performance.now() - began) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const endedAt = epochMs();
  const non2xx = Object.entries(statuses).filter(([s]) => !s.startsWith("2")).reduce((n, [, c]) => n + c, 0);
  return { requests: latencies.length, perSecond: Math.round(latencies.length / elapsed), p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), non2xx, errors, statuses, endedAt };
}
