/**
 * The chain bench's arithmetic, kept pure so a unit test can pin it: which sends were
 * delivered, event→delivery latency (the request's send time at the load generator to
 * its arrival at the receiver, both epoch ms on one machine), the backlog when the load
 * ended and how long it took to empty.
 */
import { percentile } from "./load";

/** One answered incoming request, as bench/load-worker.ts logs it: [gstin, sentAt epoch ms, HTTP status]. */
export type Send = [key: string, sentAt: number, status: number];

export interface DeliveryMetrics {
  /** Accepted incoming calls (2xx): each should reach the receiver once. */
  accepted: number;
  delivered: number;
  /** Accepted but never seen by the receiver (within the wait's cap). */
  undelivered: number;
  p50Ms: number;
  p99Ms: number;
  /** Accepted calls not yet at the receiver when the last answer of the load arrived. */
  backlogAtEnd: number;
  /** Load end → the last delivery's arrival (0 when none was left); undefined when some never arrived. */
  drainMs: number | undefined;
}

export function deliveryMetrics(sends: readonly Send[], arrivals: ReadonlyMap<string, number>, endedAt: number): DeliveryMetrics {
  const accepted = sends.filter(([, , status]) => status >= 200 && status < 300);
  const latencies: number[] = [];
  let backlogAtEnd = 0;
  let lastArrival = -Infinity;
  for (const [key, sentAt] of accepted) {
    const at = arrivals.get(key);
    if (at === undefined || at > endedAt) backlogAtEnd++;
    if (at === undefined) continue;
    latencies.push(at - sentAt);
    lastArrival = Math.max(lastArrival, at);
  }
  latencies.sort((a, b) => a - b);
  const undelivered = accepted.length - latencies.length;
  const round1 = (n: number) => Math.round(n * 10) / 10;
  return {
    accepted: accepted.length,
    delivered: latencies.length,
    undelivered,
    p50Ms: round1(percentile(latencies, 0.5)),
    p99Ms: round1(percentile(latencies, 0.99)),
    backlogAtEnd,
    drainMs: undelivered > 0 ? undefined : backlogAtEnd === 0 ? 0 : Math.round(lastArrival - endedAt),
  };
}

/** "1,234" for the report. */
export const count = (n: number) => n.toLocaleString("en-US");

/** The backlog part of a report row: "backlog 120 at load end, empty 1.4 s later" or "… 7 never delivered within 60 s". */
export function describeBacklog(m: DeliveryMetrics, capMs: number): string {
  const at = `backlog ${count(m.backlogAtEnd)} at load end`;
  if (m.drainMs === undefined) return `${at}, ${count(m.undelivered)} still undelivered after ${capMs / 1000} s`;
  if (m.backlogAtEnd === 0) return `${at}`;
  return `${at}, empty ${(m.drainMs / 1000).toFixed(1)} s later`;
}
