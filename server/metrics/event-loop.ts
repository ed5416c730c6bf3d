/**
 * Event-loop lag of the thread that answers API calls: how late its timers fire, which is how long
 * a request waits behind whatever holds the thread (a long synchronous step, a huge JSON parse).
 * perf_hooks' histogram samples it; every WINDOW_MS the window's p50, p99 and max are kept and the
 * histogram starts over, so /api/health and /api/metrics report the last complete window (until
 * one completes: everything since the first reading) and both read the same figures.
 *
 * Kept on globalThis like the metrics registry: the tsx-run launcher and Next's bundled route
 * handlers each load this module, and one histogram per process is enough.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";

export interface EventLoopLag {
  /** Median lag over the window, ms. */
  lagMs: number;
  p99Ms: number;
  maxMs: number;
  /** Length of the window these figures cover, s. */
  windowSeconds: number;
}

const WINDOW_MS = 10_000;
/** Sampling resolution of the histogram, ms (a timer of this period measures how late it fires). */
const RESOLUTION_MS = 10;

interface Monitor {
  histogram: IntervalHistogram;
  windowStarted: number;
  last?: EventLoopLag;
}

const KEY = Symbol.for("flowport.eventLoopLag");
type Holder = typeof globalThis & { [KEY]?: Monitor };

const ms = (nanoseconds: number) => Math.round(nanoseconds / 1e4) / 100;

function figures(monitor: Monitor): EventLoopLag {
  const h = monitor.histogram;
  // An empty histogram reports its bounds (min 9.2e18) — no samples yet means no lag seen.
  const empty = h.count === 0;
  return {
    lagMs: empty ? 0 : ms(h.percentile(50)),
    p99Ms: empty ? 0 : ms(h.percentile(99)),
    maxMs: empty ? 0 : ms(h.max),
    windowSeconds: Math.round((performance.now() - monitor.windowStarted) / 100) / 10,
  };
}

function monitor(): Monitor {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    histogram.enable();
    const m: Monitor = { histogram, windowStarted: performance.now() };
    setInterval(() => closeEventLoopWindow(), WINDOW_MS).unref();
    holder[KEY] = m;
  }
  return holder[KEY];
}

/** Ends the current window now: its figures become the ones reported. (The timer does this.) */
export function closeEventLoopWindow(): EventLoopLag {
  const m = monitor();
  m.last = figures(m);
  m.histogram.reset();
  m.windowStarted = performance.now();
  return m.last;
}

/** The last complete window's lag (starts measuring on first call). */
export function eventLoopLag(): EventLoopLag {
  const m = monitor();
  return m.last ?? figures(m);
}
