/**
 * Hostile drafts through the real tRPC endpoint of the built app (issue 15, point 3). An analyst
 * dry-runs the attack probe's drafts — a catastrophic regex, a 100-million-character pad, a
 * 3-million-item string, a recursion that only the expression time box stops — while /api/health
 * is polled every 20 ms. Drafts run in worker threads with a time limit, so every health answer
 * must come within 200 ms throughout, every dry run must answer (a result, or DRY_RUN_TIMEOUT —
 * never a 500) within its limit plus a thread start, the app must dry-run a good draft afterwards,
 * and no draft-thread connection may be left inside a transaction.
 *
 * The probes do not have to stay slow (regexes are being made linear and built-ins budgeted): the
 * test holds whatever they do, and the recursion stays slow regardless.
 */
import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it, onTestFailed } from "vitest";
import { loadExampleFlows } from "@/flows/examples";
import type { FlowFile } from "@/flows/format";
import { DRAFT_APPLICATION_NAME } from "@/server/drafts/protocol";
import { childEnv, ROOT } from "@/server/testing/processes";
import { launchApp, useFaultFixture, waitReady, type App } from "./harness";

const DRAFT_TIMEOUT_MS = 1_500;
const HEALTH_EVERY_MS = 20;
const HEALTH_LIMIT_MS = 200;
const PASSWORD = "hostile-drafts-password";

const fixture = useFaultFixture("hostile-drafts");
let app: App | undefined;
afterAll(async () => {
  await app?.kill9();
});

const vendor = loadExampleFlows().find((f) => f.slug === "vendor-master")!;
const seed = vendor.samples[0]!.payload;

function draftWithMap(expression: string): FlowFile {
  const draft = structuredClone(vendor);
  draft.nodes.find((n) => n.id === "map")!.config = { expression };
  return draft;
}

/** How long the health probe runs at least, whatever the drafts take. */
const MIN_PROBE_MS = 3_000;

const HOSTILE: Record<string, string> = {
  "catastrophic regex": `$contains("${"a".repeat(30)}!", /^(a+)+$/)`,
  "100,000,000-character pad": "$pad('', 100000000)",
  "3,000,000-item string": "$string([1..3000000])",
  "2^40-call recursion": "( $f := function($n) { $n = 0 ? 0 : $f($n - 1) + $f($n - 1) }; $f(40) )",
};

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

describe("hostile drafts dry-run through the built app", () => {
  it("never hold the thread that answers: health answers within 200 ms throughout", async () => {
    const database = fixture.database();
    app = await launchApp({
      databaseUrl: database.url,
      role: "all",
      env: { ...fixture.env, FLOWPORT_DRAFT_TIMEOUT_MS: String(DRAFT_TIMEOUT_MS), FLOWPORT_DRAFT_THREADS: "1", LOG_LEVEL: "debug" },
    });
    await waitReady(app);
    // A crash of the app (a fatal OOM in any thread ends the process) shows here, not as "fetch failed".
    onTestFailed(() => console.log(app!.output().split("\n").filter((l) => !l.includes('"level":20')).slice(-40).join("\n")));

    // An analyst: may test drafts, may not publish.
    execFileSync(process.execPath, ["bin/flowport.js", "users", "create", "--email", "analyst@hostile.test", "--role", "analyst", "--password", PASSWORD], {
      cwd: ROOT,
      env: childEnv({ ...fixture.env, DATABASE_URL: database.url }),
    });
    const signIn = await fetch(`${app.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: app.url },
      body: JSON.stringify({ email: "analyst@hostile.test", password: PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");

    const dryRun = async (flow: FlowFile) => {
      const began = Date.now();
      const res = await fetch(`${app!.url}/api/trpc/designerTesting.dryRun`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, origin: app!.url },
        body: JSON.stringify({ json: { flow, sample: { payload: seed } } }),
        signal: AbortSignal.timeout(60_000),
      });
      // The console's tRPC speaks superjson: answers and errors come in its `{ json }` envelope.
      const raw = (await res.json()) as { result?: { data: { json: { status: string; errorCode?: string } } }; error?: { json: { message: string; data?: { code: string } } } };
      const body = { result: raw.result ? { data: raw.result.data.json } : undefined, error: raw.error?.json };
      return { status: res.status, ms: Date.now() - began, body };
    };

    // Warm the thread (its first start loads the engine) before the clock matters.
    expect((await dryRun(vendor)).body.result?.data.status).toBe("SUCCESS");

    const latencies: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const began = performance.now();
        const res = await fetch(`${app!.url}/api/health`, { signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        latencies.push(performance.now() - began);
        await new Promise((r) => setTimeout(r, HEALTH_EVERY_MS));
      }
    })();

    const outcomes: string[] = [];
    // Each within its limit plus a fresh thread's start (the one before may have been terminated).
    const EACH_MS = DRAFT_TIMEOUT_MS + 5_000;
    const check = (name: string, { status, ms, body }: Awaited<ReturnType<typeof dryRun>>, limitMs = EACH_MS) => {
      const outcome = body.result ? `${body.result.data.status}${body.result.data.errorCode ? ` ${body.result.data.errorCode}` : ""}` : `${body.error?.data?.code}: ${body.error?.message}`;
      outcomes.push(`${name}: HTTP ${status} in ${ms} ms → ${outcome}`);
      expect(status, name).not.toBe(500);
      if (status !== 200) {
        expect(status, name).toBe(408);
        expect(body.error?.message, name).toBe("The dry run did not finish within 1.5 s and was stopped: check the flow's expressions and patterns");
      }
      expect(ms, name).toBeLessThan(limitMs);
    };
    try {
      // Rounds until the probe has had a few seconds to catch a stall: with linear regexes and
      // budgeted built-ins most of these drafts now answer in milliseconds.
      const began = performance.now();
      for (let round = 1; round === 1 || performance.now() - began < MIN_PROBE_MS; round++) {
        for (const [name, expression] of Object.entries(HOSTILE)) check(`${name} (round ${round})`, await dryRun(draftWithMap(expression)));
        // All at once, on one thread: each waits for those before it (the queue holds 8).
        const together = await Promise.all(Object.values(HOSTILE).map((expression) => dryRun(draftWithMap(expression))));
        together.forEach((answer, i) => check(`together #${i + 1} (round ${round})`, answer, EACH_MS * together.length));
      }
    } finally {
      polling = false;
      await poller;
      console.log(`hostile drafts:\n  ${outcomes.join("\n  ")}`);
    }

    const max = Math.max(...latencies);
    const p99 = percentile(latencies, 99);
    const health = (await (await fetch(`${app.url}/api/health`)).json()) as { eventLoop: { lagMs: number; p99Ms: number; maxMs: number } };
    console.log(
      `  /api/health: ${latencies.length} answers, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms; ` +
        `event-loop lag (last window) p99 ${health.eventLoop.p99Ms} ms, max ${health.eventLoop.maxMs} ms`,
    );
    expect(latencies.length).toBeGreaterThan(50);
    expect(max).toBeLessThan(HEALTH_LIMIT_MS);

    // The app still dry-runs a good draft, in a thread of the pool (the debug log names it).
    expect((await dryRun(vendor)).body.result?.data).toMatchObject({ status: "SUCCESS" });
    const threads = [...app.output().matchAll(/"threadId":(\d+)[^\n]*"msg":"draft ran in a worker thread"/g)].map((m) => Number(m[1]));
    expect(threads.length).toBeGreaterThan(0);
    expect(threads.every((t) => t > 0)).toBe(true);

    // Terminated threads' connections are gone; none is left inside a transaction.
    const [left] = await database.sql<{ open: number; in_transaction: number }[]>`
      select count(*)::int as open, count(*) filter (where xact_start is not null)::int as in_transaction
      from pg_stat_activity where datname = current_database() and application_name = ${DRAFT_APPLICATION_NAME}`;
    expect(left!.in_transaction).toBe(0);
    expect(left!.open).toBeLessThanOrEqual(1);
  });
});
