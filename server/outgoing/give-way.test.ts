import type { JobHelpers } from "graphile-worker";
import { afterEach, describe, expect, it, vi } from "vitest";
import { systemActor } from "../audit/actor";
import { setMechanismsOff } from "../db/unit-of-work";
import { EXAMPLES_DIR, readFlowFiles } from "../flows/files";
import { publishFlow } from "../flows/publish-flow";
import { saveDraft } from "../flows/repository";
import { startEventPump } from "../jobs/event-pump";
import { deliverOutgoing } from "../jobs/tasks/deliver-outgoing";
import { insertRecord, transitionRecord } from "../records/store";
import { useTestDatabase } from "../testing/database";
import { FIRST_ATTEMPTS_PER_JOB } from "./dispatch";
import { BUSY_AT, BUSY_TTL_MS, giveWay, givingWay, liveCallStarted, liveCallsBusy, markBusy, MAX_GIVE_WAY_MS, PACE_MS, resetGiveWay } from "./give-way";

const database = useTestDatabase();

afterEach(() => {
  vi.useRealTimers();
  resetGiveWay();
  setMechanismsOff(undefined);
});

/** Whether `promise` has settled after the microtasks queued so far. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

describe("deliveries give way to live calls", () => {
  it("lets delivery jobs start at once while the web is calm", async () => {
    expect(liveCallsBusy()).toBe(false);
    expect(await settled(Promise.all([giveWay(), giveWay(), giveWay()]))).toBe(true);
  });

  it("while busy, starts waiting jobs one per pace in their order, and all of them once the busy word lapses", async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    markBusy(Date.now() + 2.5 * PACE_MS);
    const started: number[] = [];
    const jobs = [0, 1, 2, 3].map((i) => giveWay().then(() => started.push(i)));
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0]); // the first at once: deliveries never stop altogether
    await vi.advanceTimersByTimeAsync(PACE_MS - 10);
    expect(started).toEqual([0]);
    await vi.advanceTimersByTimeAsync(10);
    expect(started).toEqual([0, 1]);
    // A job arriving now queues behind the ones still waiting.
    const late = giveWay().then(() => started.push(4));
    await vi.advanceTimersByTimeAsync(PACE_MS);
    expect(started).toEqual([0, 1, 2]);
    // The word lapses 2.5 paces after it was said: everything waiting starts, before the next pace.
    await vi.advanceTimersByTimeAsync(PACE_MS / 2);
    expect(liveCallsBusy()).toBe(false);
    await Promise.all([...jobs, late]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it("gives way to a burst, not to an overload: after MAX_GIVE_WAY_MS of busy without a lapse everything starts, until the web has been calm", async () => {
    vi.useFakeTimers({ now: 3_000_000 });
    const refresh = setInterval(() => markBusy(Date.now() + BUSY_TTL_MS), 200); // a busy web's repeated word
    markBusy(Date.now() + BUSY_TTL_MS);
    const started: number[] = [];
    const jobs = Array.from({ length: 20 }, (_, i) => giveWay().then(() => started.push(i)));
    await vi.advanceTimersByTimeAsync(MAX_GIVE_WAY_MS - 100);
    expect(givingWay()).toBe(true);
    expect(started.length).toBe(Math.ceil((MAX_GIVE_WAY_MS - 100) / PACE_MS)); // paced so far
    await vi.advanceTimersByTimeAsync(100);
    expect(liveCallsBusy()).toBe(true);
    expect(givingWay()).toBe(false);
    await Promise.all(jobs);
    expect(started).toHaveLength(20);
    expect(await settled(giveWay())).toBe(true); // still busy: new jobs start at once
    // A lapse ends the stretch; the next burst is given way to again.
    clearInterval(refresh);
    await vi.advanceTimersByTimeAsync(BUSY_TTL_MS + 1);
    markBusy(Date.now() + BUSY_TTL_MS);
    expect(givingWay()).toBe(true);
  });

  it("counts the web's calls in flight: busy from BUSY_AT of them, for BUSY_TTL_MS after the last look that saw them", async () => {
    vi.useFakeTimers({ now: 2_000_000 });
    const ends = Array.from({ length: BUSY_AT - 1 }, () => liveCallStarted());
    await vi.advanceTimersByTimeAsync(200);
    expect(liveCallsBusy()).toBe(false);
    const one = liveCallStarted();
    await vi.advanceTimersByTimeAsync(100);
    expect(liveCallsBusy()).toBe(true);
    expect(givingWay()).toBe(true);
    one();
    one(); // a second call of the same end counts once
    ends.pop()!();
    await vi.advanceTimersByTimeAsync(BUSY_TTL_MS - 100);
    expect(liveCallsBusy()).toBe(true); // the last busy look was less than BUSY_TTL_MS ago
    await vi.advanceTimersByTimeAsync(200);
    expect(liveCallsBusy()).toBe(false);
    ends.forEach((end) => end());
  });

  it("is switched off with the other speed mechanisms (FLOWPORT_UNIT_OF_WORK_OFF=giving-way)", async () => {
    setMechanismsOff(["giving-way"]);
    markBusy(Date.now() + 60_000);
    expect(givingWay()).toBe(false);
    expect(await settled(Promise.all([giveWay(), giveWay()]))).toBe(true);
  });

  it("holds a deliver-outgoing job while busy, without losing it: it runs once the web is calm", async () => {
    markBusy(Date.now() + 60_000);
    const helpers = { job: { id: "1" } } as unknown as JobHelpers;
    await deliverOutgoing({ deliveryIds: [] }, helpers); // the first starts at once
    const second = Promise.resolve(deliverOutgoing({ deliveryIds: [] }, helpers));
    await new Promise((r) => setTimeout(r, 300));
    expect(await settled(second)).toBe(false);
    resetGiveWay();
    await second;
  });

  it("while busy, the event pump turns at most one job's worth of events into deliveries per pace; the rest follow once calm", async () => {
    const { sql } = database();
    const flow = readFlowFiles(EXAMPLES_DIR).find((f) => f.flow.slug === "invoice-to-accounting")!.flow;
    await saveDraft(sql, flow);
    await publishFlow(sql, { slug: flow.slug }, systemActor("test"));
    for (let i = 0; i < 60; i++) {
      const { record } = await insertRecord(sql, "Invoice", { Invoice_No: `INV/G/${i}`, Invoice_Date: "2025-12-12", Total_Amount: i + 1 });
      await transitionRecord(sql, "Invoice", record.recordId, "approved");
    }
    const waitingEvents = async () => (await sql<{ n: number }[]>`select count(*)::int as n from record_events`)[0]!.n;
    expect(await waitingEvents()).toBe(120); // created + status_changed each

    markBusy(Date.now() + 60_000);
    const pump = startEventPump(sql);
    try {
      await new Promise((r) => setTimeout(r, PACE_MS / 2));
      expect(await waitingEvents()).toBe(120 - FIRST_ATTEMPTS_PER_JOB);
      resetGiveWay();
      const deadline = Date.now() + 5_000;
      while ((await waitingEvents()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(await waitingEvents()).toBe(0);
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from deliveries where flow_slug = 'invoice-to-accounting'`;
      expect(row!.n).toBe(60);
    } finally {
      await pump.stop();
    }
  });
});
