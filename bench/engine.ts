/**
 * Engine throughput: dry runs of the vendor-master example (the seed's §3 flow: auth, map, validate
 * with GSTIN/uniqueness/master checks, store, respond) against the in-memory ERP, one core, versus a
 * bare JSONata evaluation of the same mapping in the same process. The engine evaluates a mapping of
 * plain fields (this one) without JSONata's evaluator (server/engine/direct-mapping.ts), so it can
 * run the whole flow faster than bare JSONata runs the mapping alone; the rest of each execution is
 * the engine's own overhead (services calls, trace, response).
 *
 *   node --import tsx bench/engine.ts
 */
import jsonata from "jsonata";
import { loadExampleFlow } from "@/flows/examples";
import { compileFlow } from "@/server/engine/compile";
import { execute, type ExecuteOptions } from "@/server/engine/execute";
import { demoErp } from "@/server/engine/testing/fixtures";

export interface EngineBenchResult {
  /** Dry runs of vendor-master per second. */
  engineExecPerSec: number;
  /** Bare `expr.evaluate` of the same mapping per second. */
  bareJsonataPerSec: number;
  /** engine / bare. */
  ratio: number;
  /** Mean time of one dry run, in microseconds. */
  engineMeanUs: number;
  executions: number;
  measuredMs: number;
  target: number;
  meetsTarget: boolean;
}

export interface EngineBenchOptions {
  /** Measuring time for each side, after warm-up. */
  durationMs?: number;
  warmupMs?: number;
}

const TARGET_EXEC_PER_SEC = 40_000;
const SLICES = 6;
const CHECK_EVERY = 64;

const payload = {
  vendorName: "ABC Suppliers",
  gstNumber: "27ABCDE1234F1Z5",
  contactPerson: "Ramesh Sharma",
  mobile: "9876543210",
  email: "abc@xyz.com",
  city: "Mumbai",
};

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

export async function benchEngine(options: EngineBenchOptions = {}): Promise<EngineBenchResult> {
  const durationMs = options.durationMs ?? 3000;
  const warmupMs = options.warmupMs ?? 1000;

  const flow = loadExampleFlow("vendor-master");
  const plan = compileFlow(flow);
  const run: ExecuteOptions = { services: demoErp(), mode: "dry" };
  const first = await execute(plan, payload, run);
  if (first.outcome !== "SUCCESS") throw new Error(`vendor-master dry run failed: ${JSON.stringify(first.response)}`);

  const mapping = flow.nodes.find((n) => n.type === "map")!.config.expression as string;
  const bare = jsonata(mapping);

  const engineRun = () => execute(plan, payload, run);
  const bareRun = () => bare.evaluate(payload);

  await loopFor(warmupMs / 2, engineRun);
  await loopFor(warmupMs / 2, bareRun);

  // Alternate short slices so background noise hits both sides alike.
  const slice = durationMs / SLICES;
  let engineRuns = 0;
  let bareRuns = 0;
  for (let i = 0; i < SLICES; i++) {
    engineRuns += await loopFor(slice, engineRun);
    bareRuns += await loopFor(slice, bareRun);
  }
  const seconds = durationMs / 1000;
  const engineExecPerSec = Math.round(engineRuns / seconds);
  const bareJsonataPerSec = Math.round(bareRuns / seconds);
  return {
    engineExecPerSec,
    bareJsonataPerSec,
    ratio: Number((engineExecPerSec / bareJsonataPerSec).toFixed(3)),
    engineMeanUs: Number(((durationMs * 1000) / engineRuns).toFixed(2)),
    executions: engineRuns,
    measuredMs: durationMs,
    target: TARGET_EXEC_PER_SEC,
    meetsTarget: engineExecPerSec >= TARGET_EXEC_PER_SEC,
  };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"));
if (invokedDirectly) {
  benchEngine()
    .then((result) => {
      console.log(`engine  (vendor-master dry run): ${result.engineExecPerSec.toLocaleString("en-US")} exec/s  (${result.engineMeanUs} µs each)`);
      console.log(`bare JSONata (same mapping):     ${result.bareJsonataPerSec.toLocaleString("en-US")} eval/s`);
      console.log(`engine / bare: ${result.ratio}  target ≥ ${result.target.toLocaleString("en-US")} exec/s: ${result.meetsTarget ? "met" : "NOT met"}`);
      console.log(JSON.stringify(result));
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
