/**
 * Deliveries give way to live calls (issue 19). An incoming call has a client waiting on the line;
 * an outgoing delivery is durable work (its row is committed, its job queued) that nobody waits on
 * synchronously. When both compete for a saturated machine, the deliveries wait, not the callers:
 *
 * - The web process counts the incoming calls it is answering (`liveCallStarted`, served by
 *   run-role.ts). Every SAMPLE_MS it looks: with BUSY_AT or more in flight it is busy, and says so:
 *   to this process (one process: `npm start` on one core) and, when the supervisor runs it, to the
 *   worker process through the supervisor (BUSY_MESSAGE, at most every RELAY_MS).
 * - A deliver-outgoing job awaits `giveWay()` before its attempts: at once while the web is calm;
 *   while it is busy, waiting jobs start one at a time, in their order, at most one every PACE_MS,
 *   so deliveries keep moving (a job carries up to 50) under a load that never ends.
 * - Busy is a lease: a word older than BUSY_TTL_MS is forgotten, so a web process that stopped or
 *   hangs never holds deliveries back.
 * - A burst is favoured, an overload is shared: once the web has been busy without a break for
 *   MAX_GIVE_WAY_MS, deliveries stop giving way (everything waiting starts) until it has been calm
 *   again. No delivery waits much longer than that for live calls, and a load that never ends
 *   cannot pile up more than that many seconds of deliveries.
 *
 * Nothing is lost or reordered by waiting: a delivery's order, retries and exactly-once claim are
 * decided after it (deliver.ts). The chain bench measures what it earns (bench/ab.ts, "giving way
 * off"); FLOWPORT_UNIT_OF_WORK_OFF=giving-way switches it off (unit-of-work.ts's switch).
 */
import { isMechanismOn } from "@/server/db/unit-of-work";

/** Incoming calls in flight at which the web process counts as busy. */
export const BUSY_AT = 8;
/** How often the web process looks at its count. */
const SAMPLE_MS = 50;
/** How long one "busy" word holds. */
export const BUSY_TTL_MS = 600;
/** How often a busy web process repeats the word to the supervisor. */
const RELAY_MS = 200;
/** The longest busy stretch deliveries give way to. */
export const MAX_GIVE_WAY_MS = 15_000;
/** While busy: one waiting job starts per this many ms. */
export const PACE_MS = 2_000;

export const BUSY_MESSAGE = "flowport:live-calls-busy";
export interface BusyMessage {
  type: typeof BUSY_MESSAGE;
  ttlMs: number;
}

interface State {
  inFlight: number;
  busyUntil: number;
  /** When the current busy stretch began (its words followed each other without a lapse). */
  busySince: number;
  lastRelayed: number;
  lastStart: number;
  waiting: (() => void)[];
  sampler?: NodeJS.Timeout;
  pacer?: NodeJS.Timeout;
  listening: boolean;
  /** This process runs delivery jobs (startWorker): /api/metrics reports its giving way. */
  deliversHere: boolean;
}

// One state per process, whichever copy of this module (tsx, Next's bundle) loads it.
const KEY = Symbol.for("flowport.giveWay");
type Holder = typeof globalThis & { [KEY]?: State };
function state(): State {
  return ((globalThis as Holder)[KEY] ??= { inFlight: 0, busyUntil: 0, busySince: 0, lastRelayed: 0, lastStart: 0, waiting: [], listening: false, deliversHere: false });
}

/** The web side: an incoming call begins; call the returned function once it is answered (or its connection is gone). */
export function liveCallStarted(): () => void {
  const s = state();
  s.inFlight++;
  s.sampler ??= setInterval(sample, SAMPLE_MS).unref();
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    s.inFlight--;
  };
}

function sample() {
  const s = state();
  if (s.inFlight < BUSY_AT) return;
  const now = Date.now();
  markBusy(now + BUSY_TTL_MS, now);
  if (process.send && process.connected && now - s.lastRelayed >= RELAY_MS) {
    s.lastRelayed = now;
    process.send({ type: BUSY_MESSAGE, ttlMs: BUSY_TTL_MS } satisfies BusyMessage);
  }
}

/** Busy until `until` (epoch ms): from this process's own count or from the web process's word. */
export function markBusy(until: number, now = Date.now()): void {
  const s = state();
  if (s.busyUntil <= now) s.busySince = now;
  s.busyUntil = Math.max(s.busyUntil, until);
}

/** The worker side, under the supervisor: take the web process's word (relayed by the supervisor). */
export function listenForLiveCalls(): void {
  const s = state();
  if (s.listening) return;
  s.listening = true;
  process.on("message", (message: Partial<BusyMessage>) => {
    if (message?.type === BUSY_MESSAGE && typeof message.ttlMs === "number") markBusy(Date.now() + Math.min(message.ttlMs, BUSY_TTL_MS));
  });
}

export function liveCallsBusy(now = Date.now()): boolean {
  return state().busyUntil > now;
}

/** Resolves when a delivery job may run: at once while live calls leave room, else paced (see the header). */
export function giveWay(): Promise<void> {
  const s = state();
  if (s.waiting.length === 0 && !givingWay()) return Promise.resolve();
  return new Promise<void>((resolve) => {
    s.waiting.push(resolve);
    pace();
  });
}

function pace() {
  const s = state();
  if (s.pacer) return;
  const now = Date.now();
  if (!givingWay(now)) {
    for (const start of s.waiting.splice(0)) start();
    return;
  }
  if (now - s.lastStart >= PACE_MS) {
    s.lastStart = now;
    s.waiting.shift()?.();
  }
  if (s.waiting.length === 0) return;
  const wait = Math.max(1, Math.min(s.lastStart + PACE_MS, s.busyUntil, s.busySince + MAX_GIVE_WAY_MS) - now);
  s.pacer = setTimeout(() => {
    s.pacer = undefined;
    pace();
  }, wait);
}

/** Called by the job worker's start: delivery jobs run in this process. */
export function deliveriesRunHere(): void {
  state().deliversHere = true;
}

/** For /api/metrics (flowport_deliveries_giving_way): this process runs delivery jobs and they give way now. */
export function deliveriesGivingWay(): boolean {
  return state().deliversHere && givingWay();
}

/**
 * Whether deliveries give way now (for loops of their own: the event pump): the mechanism is on,
 * live calls keep the web busy, and have done so for less than MAX_GIVE_WAY_MS.
 */
export function givingWay(now = Date.now()): boolean {
  const s = state();
  return isMechanismOn("giving-way") && liveCallsBusy(now) && now - s.busySince < MAX_GIVE_WAY_MS;
}

/** Tests only: forget every count, word and waiting job (waiting jobs start), and stop looking. */
export function resetGiveWay(): void {
  const s = state();
  if (s.pacer) clearTimeout(s.pacer);
  if (s.sampler) clearInterval(s.sampler);
  s.pacer = undefined;
  s.sampler = undefined;
  s.inFlight = 0;
  s.busyUntil = 0;
  s.busySince = 0;
  s.lastStart = 0;
  for (const start of s.waiting.splice(0)) start();
}
