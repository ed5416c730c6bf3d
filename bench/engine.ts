/**
 * Engine throughput, every example flow (issue 19, point 5): dry runs of each flow's first
 * SUCCESS sample against the in-memory ERP, one core, each beside bare JSONata evaluating that
 * flow's own map expressions (compiled once with the public API, Flowport's pure functions
 * registered with `registerFunction`, `$trigger` and `$vars` bound to what the run would see).
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
import { demoErp, demoErpOptions } from "@/server/engine/testing/fixtures";

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
  /** The map nodes whose expressions the bare side evaluates (on each item, for a batch flow). */
  mapExpressions: number;
  /** Bare JSONata: evaluations of all of them per second. */
  bareJsonataPerSec: number;
  /** engine / bare. */
  ratio: number;
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

type Row = Record<string, unknown>;

/** What a lookup node puts in `$vars`, read from the demo ERP's data (once, outside the timing). */
function lookedUp(config: Row, input: unknown): unknown {
  const options = demoErpOptions();
  const entity = String(config.entity);
  const keyValue = (input as Row | undefined)?.[String(config.key)];
  const table = options.entities?.[entity] ?? options.masters?.[entity];
  const keyField = String(config.keyField ?? table?.key ?? config.key);
  return (table?.rows as Row[] | undefined)?.find((r) => r[keyField] === keyValue);
}

/**
 * The bare side: the flow's map expressions, compiled once, run in node order on the sample
 * (per item for a batch trigger), with the bindings the engine would give them.
 */
export function bareMapRunner(flow: FlowFile, payload: unknown): { run: () => Promise<unknown>; expressions: number } {
  const trigger = flow.nodes.find((n) => n.type.startsWith("trigger."))!;
  const batchField = trigger.config.mode === "batch" ? String(trigger.config.itemsField) : undefined;
  const inputs = batchField ? ((payload as Row)[batchField] as unknown[]) : [payload];
  const steps: { expr: jsonata.Expression; bindings: Row }[][] = [];
  const compiled = new Map<string, jsonata.Expression>();
  const compile = (text: string) => {
    let expr = compiled.get(text);
    if (!expr) {
      expr = jsonata(text);
      registerPureFunctions(expr);
      compiled.set(text, expr);
    }
    return expr;
  };
  return {
    expressions: flow.nodes.filter((n) => n.type === "map").length,
    run: async () => {
      // The first call also resolves lookups for `$vars` (the warm-up makes that call).
      if (steps.length === 0) {
        for (const item of inputs) {
          const vars: Row = {};
          const chain: { expr: jsonata.Expression; bindings: Row }[] = [];
          let input: unknown = item;
          for (const node of flow.nodes) {
            if (node.type === "lookup") vars[String(node.config.target)] = lookedUp(node.config, input);
            if (node.type !== "map") continue;
            const expr = compile(String(node.config.expression));
            const bindings = { trigger: payload, vars: { ...vars } };
            chain.push({ expr, bindings });
            input = await expr.evaluate(input, bindings);
          }
          steps.push(chain);
        }
      }
      let last: unknown;
      for (let i = 0; i < inputs.length; i++) {
        let input: unknown = inputs[i];
        for (const { expr, bindings } of steps[i]!) input = await expr.evaluate(input, bindings);
        last = input;
      }
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
  const bare = bareMapRunner(flow, sample.payload);

  await loopFor(warmupMs / 2, engineRun);
  await loopFor(warmupMs / 2, bare.run);
  // Alternate short slices so background noise hits both sides alike.
  const slice = durationMs / SLICES;
  let engineRuns = 0;
  let bareRuns = 0;
  for (let i = 0; i < SLICES; i++) {
    engineRuns += await loopFor(slice, engineRun);
    bareRuns += await loopFor(slice, bare.run);
  }
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
    mapExpressions: bare.expressions,
    bareJsonataPerSec,
    ratio: Number((engineExecPerSec / bareJsonataPerSec).toFixed(3)),
    unexpected,
    ...(target !== undefined ? { target, meetsTarget: engineExecPerSec >= target } : {}),
  };
}

export async function benchEngine(options: EngineBenchOptions = {}): Promise<EngineBenchResult> {
  const durationMs = options.durationMs ?? 2000;
  const warmupMs = options.warmupMs ?? 500;
  const flows: FlowEngineResult[] = [];
  for (const flow of loadExampleFlows()) {
    if (options.only && !options.only.includes(flow.slug)) continue;
    flows.push(await benchFlow(flow, durationMs, warmupMs));
  }
  return { flows, measuredMs: durationMs };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"));
if (invokedDirectly) {
  benchEngine()
    .then((result) => {
      for (const f of result.flows) {
        console.log(`${f.slug.padEnd(26)} engine ${f.engineExecPerSec.toLocaleString("en-US").padStart(9)} exec/s   bare JSONata (${f.mapExpressions} map) ${f.bareJsonataPerSec.toLocaleString("en-US").padStart(9)} eval/s   ratio ${f.ratio}`);
      }
      console.log(JSON.stringify(result));
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
