/**
 * The draft-runner pool with real threads and a real database: drafts run off the main thread with
 * the results they had in process; one that overruns its time is stopped (DRY_RUN_TIMEOUT), its
 * thread terminated and its connection gone, while the main thread keeps ticking and the pool
 * serves the next draft; a full queue refuses at once (DRY_RUN_BUSY).
 */
import { threadId } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadExampleFlows } from "@/flows/examples";
import type { FlowFile } from "@/flows/format";
import { resetEnvForTests } from "@/server/env";
import { dryRunDraft } from "@/server/flows/designer-testing";
import { dryRunFlow } from "@/server/flows/dry-run";
import { testFlowSamples } from "@/server/flows/sample-tests";
import { seedOnFirstRun } from "../seed";
import { erpDemoSeeder } from "../seed/erp-demo";
import { exampleFlowsSeeder } from "../seed/example-flows";
import { useTestDatabase } from "../testing/database";
import { closeDraftPool, runDraft } from "./draft-pool";
import { DraftRunError } from "./errors";
import { DRAFT_APPLICATION_NAME } from "./protocol";

const database = useTestDatabase();
const examples = loadExampleFlows();
const vendor = structuredClone(examples.find((f) => f.slug === "vendor-master")!);
const seed = vendor.samples[0]!.payload;

/**
 * A draft that runs until the engine's own 250 ms expression time box stops it: 2^40 calls of a
 * plain recursive function (no regex, no large built-in), so it stays slow whatever budgets the
 * built-ins get. A pool limit below the time box must stop it first.
 */
function slowDraft(): FlowFile {
  const draft = structuredClone(vendor);
  draft.nodes.find((n) => n.id === "map")!.config = { expression: "( $f := function($n) { $n = 0 ? 0 : $f($n - 1) + $f($n - 1) }; $f(40) )" };
  return draft;
}

/** Connections of draft threads to this test's database, and any left inside a transaction. */
async function draftConnections() {
  const { sql } = database();
  const [row] = await sql<{ open: number; in_transaction: number }[]>`
    select count(*)::int as open, count(*) filter (where state like 'idle in transaction%' or xact_start is not null)::int as in_transaction
    from pg_stat_activity where datname = current_database() and application_name = ${DRAFT_APPLICATION_NAME}`;
  return row!;
}

async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}

function usePoolConfig(config: Record<string, string>) {
  beforeAll(async () => {
    await closeDraftPool();
    for (const [key, value] of Object.entries(config)) vi.stubEnv(key, value);
    resetEnvForTests();
  });
  afterAll(async () => {
    await closeDraftPool();
    vi.unstubAllEnvs();
    resetEnvForTests();
  });
}

beforeAll(async () => {
  await seedOnFirstRun(database(), [erpDemoSeeder, exampleFlowsSeeder]);
});

describe("drafts in worker threads", () => {
  usePoolConfig({ FLOWPORT_DRAFT_THREADS: "1" });

  it("runs every example sample off the main thread, with the result it has in process", async () => {
    const { sql } = database();
    let samples = 0;
    for (const flow of examples) {
      for (const sample of flow.samples) {
        const inThread = await runDraft(sql, { kind: "dry-run", flow, sample: { payload: sample.payload, headers: sample.headers } });
        expect(inThread.threadId).not.toBe(threadId);
        const inProcess = await dryRunFlow(sql, flow, sample);
        // Timings differ run to run; everything else must not.
        const comparable = (r: typeof inProcess) => ({ ...r, durationUs: 0, trace: r.trace.map((t) => ({ ...t, durationUs: 0 })) });
        expect(comparable(inThread.result), `${flow.slug} › ${sample.name}`).toEqual(comparable(inProcess));
        samples++;
      }
    }
    expect(samples).toBeGreaterThanOrEqual(examples.length);
  });
});

describe("a draft that overruns its time", () => {
  usePoolConfig({ FLOWPORT_DRAFT_THREADS: "1", FLOWPORT_DRAFT_TIMEOUT_MS: "150", FLOWPORT_DRAFT_QUEUE: "1" });

  it("is stopped with DRY_RUN_TIMEOUT, its thread and connection gone, the main thread ticking, the pool serving the next draft", async () => {
    const { sql } = database();
    // Warm: a thread with its connection, as after any dry run.
    expect((await dryRunDraft(sql, vendor, { payload: seed })).status).toBe("SUCCESS");
    expect((await draftConnections()).open).toBe(1);

    let last = performance.now();
    let longestGapMs = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGapMs = Math.max(longestGapMs, now - last);
      last = now;
    }, 5);
    const began = performance.now();
    const error = await dryRunDraft(sql, slowDraft(), { payload: seed }).catch((e: unknown) => e);
    const tookMs = performance.now() - began;
    clearInterval(ticker);

    expect(error).toBeInstanceOf(DraftRunError);
    expect(error).toMatchObject({ code: "DRY_RUN_TIMEOUT", trpcCode: "TIMEOUT" });
    expect((error as Error).message).toBe("The dry run did not finish within 0.15 s and was stopped: check the flow's expressions and patterns");
    // Stopped by the pool (DRY_RUN_TIMEOUT above, not the engine's EXPRESSION_TIMEOUT of its 250 ms
    // time box), promptly; the main thread kept ticking meanwhile (a blocked one would show one gap
    // as long as the run; on a busy machine the scheduler alone can leave gaps of tens of ms).
    expect(tookMs).toBeLessThan(2_000);
    expect(longestGapMs).toBeLessThan(Math.max(100, tookMs / 2));

    // The terminated thread's connection is closed by PostgreSQL, its transaction rolled back.
    expect(await waitFor(draftConnections, (c) => c.open === 0)).toEqual({ open: 0, in_transaction: 0 });

    const next = await dryRunDraft(sql, vendor, { payload: seed });
    expect(next).toMatchObject({ status: "SUCCESS", httpStatus: 200 });
    expect(await draftConnections()).toEqual({ open: 1, in_transaction: 0 });
  });

  it("is reported per sample by `flows test`, the other samples still run", async () => {
    const { sql } = database();
    const flow = slowDraft();
    flow.samples = [{ name: "slow", payload: seed }, ...vendor.samples.map((s) => ({ ...s }))];
    // The slow expression stops every sample of this draft; the same samples on the unedited flow pass.
    const results = await testFlowSamples(sql, flow, "slow");
    expect(results).toEqual([
      {
        flow: "vendor-master",
        sample: "slow",
        passed: false,
        differences: ["The dry run did not finish within 0.15 s and was stopped: check the flow's expressions and patterns"],
        outcome: "STOPPED",
        httpStatus: 0,
        errorCode: "DRY_RUN_TIMEOUT",
      },
    ]);
    expect((await testFlowSamples(sql, vendor)).every((r) => r.passed)).toBe(true);
  });

  it("refuses at once when a thread is busy and the queue is full (DRY_RUN_BUSY)", async () => {
    const { sql } = database();
    const running = dryRunDraft(sql, slowDraft(), { payload: seed }).catch((e: unknown) => e);
    const waiting = dryRunDraft(sql, slowDraft(), { payload: seed }).catch((e: unknown) => e);
    const refused = await dryRunDraft(sql, vendor, { payload: seed }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DraftRunError);
    expect(refused).toMatchObject({ code: "DRY_RUN_BUSY", trpcCode: "TOO_MANY_REQUESTS", message: "1 dry runs are already waiting for a free runner; try again in a few seconds" });
    expect(await running).toMatchObject({ code: "DRY_RUN_TIMEOUT" });
    expect(await waiting).toMatchObject({ code: "DRY_RUN_TIMEOUT" });
    expect((await dryRunDraft(sql, vendor, { payload: seed })).status).toBe("SUCCESS");
    expect(await waitFor(draftConnections, (c) => c.open <= 1)).toEqual({ open: 1, in_transaction: 0 });
  });
});
