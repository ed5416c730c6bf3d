/**
 * Engine throughput, every example flow (issue 19, point 5): dry runs of each flow's first
 * SUCCESS sample against the in-memory ERP, one core, each beside bare JSONata evaluating that
 * flow's own expressions — every one the engine evaluates in that run, maps and conditions alike,
 * on the same inputs and variables (`bareFlowRunner`), compiled once with the public API and
 * Flowport's pure functions registered with `registerFunction`.
 * The engine evaluates plain-field mappings without JSONata's evaluator (direct-mapping.ts), so
 * a flow of that shape can outrun bare JSONata; the others show the engine's full cost.
 * The 40,000 exec/s target is vendor-master's (issue 4); the other rows have none.
 *
 *   node --import tsx bench/engine.ts
 */
import jsonata from "jsonata";
import { resolveSample } from "@/flows/samples/generators";
import { loadExampleFlows } from "@/flows/examples";
import type { FlowFile } from "@/flows/format";
import { registerPureFunctions } from "@/flows/functions/pure";
import { compileFlow } from "@/server/engine/compile";
import { execute, type ExecuteOptions } from "@/server/engine/execute";
import { closeExpressionThreads, expressionThreadRuns, warmExpressionThreads } from "@/server/engine/expression-threads";
import { SCOPE_BINDING } from "@/server/engine/scope";
import { demoErp } from "@/server/engine/testing/fixtures";

export interface FlowEngineResult {
  slug: string;
  direction: string;
  /** The sample each run executes. */
  sample: string;
  /** Dry runs per second. */
  engineExecPerSec: number;
  /** Mean time of one dry run, in microseconds. */
  engineMeanUs: number;
  executions: number;
  /** The distinct expressions the engine evaluates in one dry run, which the bare side evaluates too. */
  expressions: number;
  /** Evaluations of them in one dry run (per item, for a batch flow). */
  evaluations: number;
  /** Bare JSONata: runs of all those evaluations per second. */
  bareJsonataPerSec: number;
  /** engine / bare. */
  ratio: number;
  /**
   * Evaluations the engine ran again in an expression thread during the measured runs: each
   * outran the main thread's 10 ms slice, which on a loaded machine a descheduled evaluation does.
   */
  threadRuns?: number;
  /** Runs (warm-up included) whose outcome was not the sample's expected one, by error code. */
  unexpected: Record<string, number>;
  /** Only vendor-master has a target. */
  target?: number;
  meetsTarget?: boolean;
}

export interface EngineBenchResult {
  flows: FlowEngineResult[];
  /** Measuring time of each side of each flow, after warm-up. */
  measuredMs: number;
}

export interface EngineBenchOptions {
  durationMs?: number;
  warmupMs?: number;
  /** Only these flows (by slug). */
  only?: string[];
}

const TARGETS: Record<string, number> = { "vendor-master": 40_000 };
const SLICES = 4;
const CHECK_EVERY = 32;

/** Runs `fn` back to back for `ms`; returns how many times it ran. */
async function loopFor(ms: number, fn: () => Promise<unknown>): Promise<number> {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) {
    for (let i = 0; i < CHECK_EVERY; i++) await fn();
    n += CHECK_EVERY;
  }
  return n;
}

interface RecordedCall {
  text: string;
  input: unknown;
  bindings?: Record<string, unknown>;
  /** What the engine answered. */
  output?: Promise<unknown>;
}

/**
 * The bare side: every expression the engine evaluated in one dry run of the sample (maps,
 * branch and validate conditions, send conditions and reference ids; per item for a batch flow),
 * in the engine's order, each with the input and the variables it was given — recorded from that
 * run through compileFlow's `wrapExpression` — and evaluated again by bare JSONata: compiled once
 * with the public API, Flowport's pure functions registered, nothing else (no limits, no threads).
 */
export async function bareFlowRunner(flow: FlowFile, payload: unknown, options: ExecuteOptions): Promise<{ run: () => Promise<unknown>; expressions: number; evaluations: number; calls: RecordedCall[] }> {
  const calls: RecordedCall[] = [];
  const plan = compileFlow(flow, {
    wrapExpression: (compiled) => ({
      text: compiled.text,
      variables: compiled.variables,
      evaluate: (input, bindings) => {
        // The variables the engine passes on (the execution scope stays behind: bare JSONata has no services).
        let given: Record<string, unknown> | undefined;
        if (bindings !== undefined) {
          given = {};
          const names = compiled.variables === "all" ? Object.keys(bindings) : compiled.variables;
          for (const name of names) if (Object.hasOwn(bindings, name) && name !== SCOPE_BINDING) given[name] = structuredClone(bindings[name]);
        }
        const call: RecordedCall = { text: compiled.text, input: structuredClone(input), ...(given ? { bindings: given } : {}) };
        calls.push(call);
        call.output = compiled.evaluate(input, bindings);
        return call.output;
      },
    }),
  });
  await execute(plan, payload, options);
  const compiled = new Map<string, jsonata.Expression>();
  const steps = calls.map((call) => {
    let expr = compiled.get(call.text);
    if (!expr) {
      expr = jsonata(call.text);
      registerPureFunctions(expr);
      compiled.set(call.text, expr);
    }
    return { expr, input: call.input, bindings: call.bindings };
  });
  return {
    expressions: compiled.size,
    evaluations: steps.length,
    calls,
    run: async () => {
      let last: unknown;
      for (const { expr, input, bindings } of steps) last = await expr.evaluate(input, bindings);
      return last;
    },
  };
}

async function benchFlow(flow: FlowFile, durationMs: number, warmupMs: number): Promise<FlowEngineResult> {
  const chosen = flow.samples.find((s) => s.expect?.status === "SUCCESS") ?? flow.samples[0];
  if (!chosen) throw new Error(`${flow.slug} has no sample to run`);
  // Sample generators ({{unique}}, {{today}}…) resolved once: a dry run keeps nothing, so one value serves every run.
  const sample = resolveSample(chosen).sample;
  const plan = compileFlow(flow);
  const run: ExecuteOptions = { services: demoErp(), mode: "dry", headers: sample.headers };
  const expected = sample.expect?.status;
  const first = await execute(plan, sample.payload, run);
  if (expected && first.outcome !== expected) throw new Error(`${flow.slug} / ${sample.name}: expected ${expected}, got ${first.outcome} ${JSON.stringify(first.response)}`);
  // Later runs that end otherwise are counted, not fatal: on a loaded machine a descheduled
  // evaluation can outlast the 250 ms expression timeout (EXPRESSION_TIMEOUT), as it would live.
  const unexpected: Record<string, number> = {};
  const engineRun = async () => {
    const result = await execute(plan, sample.payload, run);
    if (expected && result.outcome !== expected) {
      const code = result.errorCode ?? result.outcome;
      unexpected[code] = (unexpected[code] ?? 0) + 1;
    }
    return result;
  };
  const bare = await bareFlowRunner(flow, sample.payload, run);

  await loopFor(warmupMs / 2, engineRun);
  await loopFor(warmupMs / 2, bare.run);
  // Alternate short slices so background noise hits both sides alike.
  const slice = durationMs / SLICES;
  const threadRunsBefore = expressionThreadRuns();
  let engineRuns = 0;
  let bareRuns = 0;
  for (let i = 0; i < SLICES; i++) {
    engineRuns += await loopFor(slice, engineRun);
    bareRuns += await loopFor(slice, bare.run);
  }
  const threadRuns = expressionThreadRuns() - threadRunsBefore;
  const seconds = durationMs / 1000;
  const engineExecPerSec = Math.round(engineRuns / seconds);
  const bareJsonataPerSec = Math.round(bareRuns / seconds);
  const target = TARGETS[flow.slug];
  return {
    slug: flow.slug,
    direction: flow.direction,
    sample: sample.name,
    engineExecPerSec,
    engineMeanUs: Number(((durationMs * 1000) / engineRuns).toFixed(2)),
    executions: engineRuns,
    expressions: bare.expressions,
    evaluations: bare.evaluations,
    bareJsonataPerSec,
    ratio: Number((engineExecPerSec / bareJsonataPerSec).toFixed(3)),
    threadRuns,
    unexpected,
    ...(target !== undefined ? { target, meetsTarget: engineExecPerSec >= target } : {}),
  };
}

export async function benchEngine(options: EngineBenchOptions = {}): Promise<EngineBenchResult> {
  const durationMs = options.durationMs ?? 2000;
  const warmupMs = options.warmupMs ?? 500;
  const flows: FlowEngineResult[] = [];
  // As the server at start-up: the thread that takes over evaluations past the slice is loaded.
  await warmExpressionThreads();
  try {
    for (const flow of loadExampleFlows()) {
      if (options.only && !options.only.includes(flow.slug)) continue;
      flows.push(await benchFlow(flow, durationMs, warmupMs));
    }
  } finally {
    await closeExpressionThreads();
  }
  return { flows, measuredMs: durationMs };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"));
if (invokedDirectly) {
  benchEngine()
    .then((result) => {
      for (const f of result.flows) {
        console.log(`${f.slug.padEnd(26)} engine ${f.engineExecPerSec.toLocaleString("en-US").padStart(9)} exec/s   bare JSONata (${f.evaluations} evaluations of ${f.expressions} expressions) ${f.bareJsonataPerSec.toLocaleString("en-US").padStart(9)} eval/s   ratio ${f.ratio}`);
      }
      console.log(JSON.stringify(result));
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
