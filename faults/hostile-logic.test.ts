/**
 * Hostile logic in published flows (issue 15): Flowport as `npm start` runs it (web and worker in
 * one process), flows published with catastrophic regular expressions and expressions that used to
 * run for seconds in one evaluation step, each called over HTTP while a probe asks /api/health
 * every ~20 ms. The regex rule ^(a+)+$ against 31–40 × "a" + "!" froze the whole process for 78 s
 * and more; $pad('', 100000000), $string([1..3000000]) and a regex literal did the same for
 * seconds. Now every call answers within 1 s — with the correct result where the linear-time
 * engine simply answers, else with EXPRESSION_LIMIT naming the function and the limit in the
 * execution log — and /api/health answers within 200 ms throughout. A pattern the engine cannot
 * run (a backreference) is refused by the publish path and by `flowport flows validate`, naming
 * the node and the field. Health latencies (max, p99) are printed per case.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { FlowFile } from "@/flows/format";
import leadFlow from "@/flows/examples/lead-enquiry.flow.json";
import { systemActor } from "@/server/audit/actor";
import { publishFlow } from "@/server/flows/publish-flow";
import { FlowInvalidError, saveDraft } from "@/server/flows/repository";
import { createClient } from "@/server/incoming/clients";
import { childEnv, spawnNode, waitUntil } from "@/server/testing/processes";
import { useFaultFixture, waitReady, type App } from "./harness";

/** Every hostile call answers within this. */
const CALL_BOUND_MS = 1_000;
/** /api/health answers within this while they run. */
const HEALTH_BOUND_MS = 200;
const PROBE_EVERY_MS = 20;
/** How long each case's calls keep coming. */
const CASE_MS = 1_500;

const fixture = useFaultFixture("hostile");

/** The lead-enquiry example under another slug, changed by `edit`. */
function leadVariant(slug: string, edit: (flow: FlowFile) => void): FlowFile {
  const flow = structuredClone(leadFlow) as unknown as FlowFile;
  flow.slug = slug;
  flow.name = slug;
  (flow.nodes.find((n) => n.type === "trigger.http")!.config as Record<string, unknown>).slug = slug;
  delete (flow as { samples?: unknown }).samples;
  edit(flow);
  return flow;
}

const withMap = (expression: string) => (flow: FlowFile) => {
  const map = flow.nodes.find((n) => n.type === "map")!.config as Record<string, unknown>;
  map.expression = expression;
  delete map.mappings;
};

const withRule = (rule: Record<string, unknown>) => (flow: FlowFile) => {
  (flow.nodes.find((n) => n.type === "validate")!.config as { rules: Record<string, unknown>[] }).rules.push(rule);
};

interface Probe {
  samples: { at: number; ms: number; status: number }[];
  stop(): Promise<void>;
}

/** GET /api/health every ~20 ms, one at a time, keeping each answer's latency. */
function probeHealth(app: App): Probe {
  const samples: Probe["samples"] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      let status = 0;
      try {
        const res = await fetch(`${app.url}/api/health`, { signal: AbortSignal.timeout(5_000) });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        status = 0;
      }
      const ms = performance.now() - started;
      samples.push({ at: Date.now(), ms, status });
      await new Promise((r) => setTimeout(r, Math.max(0, PROBE_EVERY_MS - ms)));
    }
  })();
  return {
    samples,
    async stop() {
      running = false;
      await loop;
    },
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  ms: number;
}

interface Case {
  name: string;
  flow: FlowFile;
  /** One body per call. */
  bodies: Record<string, unknown>[];
  check(answer: Answer, log: { error_code: string | null; error_message: string | null } | undefined): Promise<void> | void;
}

const lead = { name: "Asha Rao", email: "asha@example.com", source: "Website" };
const aaa = (n: number) => `${"a".repeat(n)}!`;

const cases: Case[] = [
  {
    name: "validate rule regex ^(a+)+$, 31–40 × a + !",
    flow: leadVariant("hostile-regex-rule", withRule({ field: "Company", rule: "regex", pattern: "^(a+)+$", code: "INVALID_COMPANY", message: "Company is not valid" })),
    bodies: [31, 34, 37, 40].map((n) => ({ ...lead, company: aaa(n) })),
    check(answer) {
      // The correct answer: the rule fails, and says so.
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ status: "error", errorCode: "INVALID_COMPANY", message: "Company is not valid" });
    },
  },
  {
    name: "map $pad('', 100000000)",
    flow: leadVariant("hostile-pad", withMap("{ \"Lead_Name\": $pad('', 100000000) }")),
    bodies: [lead, lead, lead],
    check(answer, log) {
      expect(answer.status).toBe(500);
      expect(log).toEqual({ error_code: "EXPRESSION_LIMIT", error_message: "$pad would produce 100,000,000 characters; the limit is 4,000,000" });
    },
  },
  {
    name: "map $string([1..3000000])",
    flow: leadVariant("hostile-string-range", withMap('{ "Lead_Name": $string([1..3000000]) }')),
    bodies: [lead, lead, lead],
    check(answer, log) {
      expect(answer.status).toBe(500);
      expect(log).toEqual({ error_code: "EXPRESSION_LIMIT", error_message: "The expression would build a list of 3,000,000 items; the limit is 1,048,576" });
    },
  },
  {
    name: "map $contains(500,001 characters, /^(a+)+$/)",
    flow: leadVariant(
      "hostile-contains",
      withMap('{ "Lead_Name": name, "Email": email, "Source": source, "Requirement": $contains(message, /^(a+)+$/) ? "matched" : "no match" }'),
    ),
    bodies: [
      { ...lead, message: aaa(500_000) },
      { ...lead, message: "a".repeat(500_000) },
      { ...lead, message: aaa(40) },
    ],
    async check(answer, log) {
      // The correct result, stored.
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(log?.error_code ?? null).toBeNull();
      const [row] = await fixture.database().sql<{ requirement: string }[]>`
        select data->>'Requirement' as requirement from records where entity = 'Lead' and record_id = ${String(answer.body.recordId)}`;
      expect(["matched", "no match"]).toContain(row?.requirement);
    },
  },
  {
    name: "map $join of a huge $map",
    flow: leadVariant("hostile-join-map", withMap("{ \"Lead_Name\": $join($map([1..1000], function($v){ $pad('', 10000, 'x') })) }")),
    bodies: [lead, lead, lead],
    check(answer, log) {
      expect(answer.status).toBe(500);
      expect(log).toEqual({ error_code: "EXPRESSION_LIMIT", error_message: "$join would produce 10,000,000 characters; the limit is 4,000,000" });
    },
  },
];

/**
 * Reported, not held to the health bound (one caller): a regex call may match for the whole time
 * box (250 ms) before its budget stops it, holding the event loop that long.
 */
const budgetCases: Case[] = [
  {
    name: "map $match(60,000 × x, /x*y|x/): quadratic, stopped by the regex budget",
    flow: leadVariant("hostile-match-budget", withMap('{ "Lead_Name": $count($match(message, /x*y|x/)) }')),
    bodies: [{ ...lead, message: "x".repeat(60_000) }],
    check(answer, log) {
      expect(answer.status).toBe(500);
      expect(log).toEqual({ error_code: "EXPRESSION_LIMIT", error_message: "A regular expression /x*y|x/ spent over 250 ms matching in one call; the limit is 250 ms" });
    },
  },
];

async function post(app: App, apiKey: string, slug: string, body: unknown): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(`${app.url}/api/v1/integration/incoming/${slug}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": apiKey },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, ms: performance.now() - started };
}

describe("hostile logic in published flows", () => {
  it("answers every call within 1 s while /api/health answers within 200 ms, and refuses what cannot run at publish", async () => {
    const app = await fixture.launch("all");
    await waitReady(app);
    const { sql } = fixture.database();

    for (const c of [...cases, ...budgetCases]) {
      await saveDraft(sql, c.flow);
      await publishFlow(sql, { slug: c.flow.slug }, systemActor("test"));
    }
    const issued = await createClient(sql, { name: "hostile-caller", flowScopes: ["*"], credentialKind: "api_key" });
    const apiKey = issued.credentials.find((cred) => cred.kind === "api_key")!.token;

    // Warm: the app answers, health is 200, and each flow's plan is compiled (first call of each).
    await waitUntil(async () => (await fetch(`${app.url}/api/health`)).status === 200, 30_000, "health 200");
    for (const c of [...cases, ...budgetCases]) await post(app, apiKey, c.flow.slug, lead);

    const probe = probeHealth(app);
    const report: string[] = [];
    /** Two callers (one for a budget case) cycle through the case's bodies for CASE_MS, under the probe. */
    const healthOf = async (c: Case, held: boolean) => {
      await new Promise((r) => setTimeout(r, 200));
      const from = Date.now();
      const until = from + CASE_MS;
      const calls: number[] = [];
      const caller = async (first: number) => {
        let i = first;
        do {
          const answer = await post(app, apiKey, c.flow.slug, c.bodies[i++ % c.bodies.length]);
          calls.push(answer.ms);
          const [log] = await sql<{ error_code: string | null; error_message: string | null }[]>`
            select error_code, error_message from executions where request_id = ${String(answer.body.requestId)}`;
          await c.check(answer, log);
          expect(answer.ms, `${c.name}: call answered in ${answer.ms.toFixed(0)} ms`).toBeLessThan(CALL_BOUND_MS);
        } while (Date.now() < until || i < c.bodies.length);
      };
      await Promise.all(held ? [caller(0), caller(1)] : [caller(0)]);
      await new Promise((r) => setTimeout(r, 100));
      const window = probe.samples.filter((s) => s.at >= from);
      const latencies = window.map((s) => s.ms);
      const line =
        `${c.name}: ${calls.length} calls, p50 ${percentile(calls, 50).toFixed(0)} ms, slowest ${Math.max(...calls).toFixed(0)} ms; ` +
        `/api/health ${window.length} probes, max ${Math.max(...latencies).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, p50 ${percentile(latencies, 50).toFixed(1)} ms`;
      report.push(line);
      console.log(`hostile logic: ${line}`);
      expect(window.length, c.name).toBeGreaterThan(10);
      expect(window.every((s) => s.status === 200), `${c.name}: every probe answered 200`).toBe(true);
      return Math.max(...latencies);
    };
    /**
     * A held case runs again once if health was slow: a busy machine (other processes, the
     * database, GC) can stall one probe, but blocking by the flow shows in both runs.
     */
    const held = async (c: Case) => {
      if ((await healthOf(c, true)) < HEALTH_BOUND_MS) return;
      console.log(`hostile logic: ${c.name}: /api/health over ${HEALTH_BOUND_MS} ms once; running the case again`);
      expect(await healthOf(c, true), `${c.name}: /api/health max, twice`).toBeLessThan(HEALTH_BOUND_MS);
    };
    try {
      // For scale: the probe alone, no calls (a busy machine shows here first).
      await new Promise((r) => setTimeout(r, CASE_MS));
      const idle = probe.samples.map((s) => s.ms);
      const idleLine = `idle, no calls: /api/health ${idle.length} probes, max ${Math.max(...idle).toFixed(1)} ms, p99 ${percentile(idle, 99).toFixed(1)} ms, p50 ${percentile(idle, 50).toFixed(1)} ms`;
      report.push(idleLine);
      console.log(`hostile logic: ${idleLine}`);
      for (const c of cases) await held(c);
      for (const c of budgetCases) await healthOf(c, false);
    } finally {
      await probe.stop();
    }

    // Refused at publish: the node and the field named, for a rule pattern and a regex literal.
    const backreference = leadVariant("hostile-backreference", withRule({ field: "Company", rule: "regex", pattern: "^(\\w)\\1$" }));
    await saveDraft(sql, backreference);
    const refused = await publishFlow(sql, { slug: backreference.slug }, systemActor("test")).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(FlowInvalidError);
    const ruleIndex = (backreference.nodes.find((n) => n.type === "validate")!.config as { rules: unknown[] }).rules.length - 1;
    expect((refused as FlowInvalidError).graphErrors).toEqual([
      expect.objectContaining({ nodeId: "validate", path: ["config", "rules", ruleIndex, "pattern"], code: "INVALID_REGEX", message: expect.stringMatching(/^Backreference \\1 is not supported/) }),
    ]);
    expect((refused as FlowInvalidError).message).toMatch(/^Flow "hostile-backreference" has 1 problem\(s\): validate: Backreference \\1 is not supported/);
    const lookahead = leadVariant("hostile-lookahead", withMap('{ "Lead_Name": $match(name, /\\w+(?=\\s)/).match }'));
    await saveDraft(sql, lookahead);
    await expect(publishFlow(sql, { slug: lookahead.slug }, systemActor("test"))).rejects.toMatchObject({
      graphErrors: [expect.objectContaining({ nodeId: "map", path: ["config", "expression"], code: "INVALID_REGEX", line: 1, column: 29 })],
    });
    const [published] = await sql<{ n: number }[]>`
      select count(*)::int as n from flows where slug in ('hostile-backreference', 'hostile-lookahead') and published_version is not null`;
    expect(published!.n).toBe(0);

    // And by `flowport flows validate`, naming node and field.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flowport-hostile-"));
    try {
      fs.writeFileSync(path.join(dir, "backreference.flow.json"), JSON.stringify(backreference));
      const cli = spawnNode(["bin/flowport.js", "flows", "validate", path.join(dir, "backreference.flow.json")], childEnv({ FLOWPORT_DATA_DIR: dir }));
      expect(await cli.exited).toBe(1);
      expect(cli.output()).toContain(`validate config.rules.${ruleIndex}.pattern: Backreference \\1 is not supported`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    console.log(`hostile logic, summary:\n  ${report.join("\n  ")}`);
    expect(app.child.exitCode).toBeNull();
    await app.stop();
  });
});
