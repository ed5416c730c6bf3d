/**
 * Walks a plan's nodes in topological order. A node runs when one of its incoming edges is live:
 * its source ran and took that edge's port. Everything else (the untaken side of a branch, the rest
 * after an error) is recorded as skipped, so the trace always names every node.
 */
import type { ExecutionPlan, PlanNode } from "./compile";
import { toFlowError, type FlowError } from "./errors";
import { traceValue, type TraceEntry } from "./trace";
import type { ExecutionContext, NodeResult } from "./types";

const NOT_RUN = undefined;

function skipped(node: PlanNode, item: number | undefined): TraceEntry {
  const entry: TraceEntry = { nodeId: node.id, type: node.type, name: node.name, status: "skipped", durationUs: 0 };
  if (item !== undefined) entry.item = item;
  return entry;
}

function elapsedUs(started: bigint): number {
  return Number((process.hrtime.bigint() - started) / 1000n);
}

export interface RunRange {
  /** First node index to run (0, the trigger, by default). */
  from?: number;
  /** One past the last node index to run (all by default). */
  to?: number;
  /**
   * Stands for the output of the node at `index` when the run starts after it (batch items, and a
   * log replay from a chosen node), leaving by `port` ("out" unless said).
   */
  seed?: { index: number; output: unknown; port?: string };
  /** Batch mode: the item index recorded on trace entries. */
  item?: number;
}

/** Runs a range of the plan; returns the last output, or the error that stopped the run. */
export async function runNodes(
  plan: ExecutionPlan,
  ctx: ExecutionContext,
  trace: TraceEntry[],
  range: RunRange = {},
): Promise<{ error?: FlowError; last?: unknown }> {
  const nodes = plan.nodes;
  const { from = 0, seed, item } = range;
  const to = range.to ?? nodes.length;
  const outputs: unknown[] = new Array(nodes.length);
  const ports: (string | undefined)[] = new Array(nodes.length);
  if (seed) {
    outputs[seed.index] = seed.output;
    ports[seed.index] = seed.port ?? "out";
  }
  // The input of a node is usually the previous node's output: measure each value once.
  let measured: unknown = NOT_RUN;
  let measuredTrace: { value: unknown; truncated: boolean } = { value: undefined, truncated: false };
  let last: unknown;

  for (let i = from; i < to; i++) {
    const node = nodes[i]!;
    let input: unknown;
    let live = i === 0;
    for (const edge of node.incoming) {
      if (ports[edge.from] === edge.port) {
        live = true;
        input = outputs[edge.from];
      }
    }
    if (i === 0) input = ctx.trigger.input;
    if (!live) {
      trace.push(skipped(node, item));
      continue;
    }

    const started = process.hrtime.bigint();
    let result: NodeResult;
    try {
      const pending = node.run(input, ctx);
      result = pending instanceof Promise ? await pending : pending;
    } catch (err) {
      const durationUs = elapsedUs(started);
      const error = toFlowError(err, node.id);
      const entry: TraceEntry = { nodeId: node.id, type: node.type, name: node.name, status: "error", durationUs, error: error.toJSON() };
      const traced = traceValue(input);
      entry.input = traced.value;
      if (traced.truncated) entry.truncated = true;
      if (item !== undefined) entry.item = item;
      trace.push(entry);
      for (let j = i + 1; j < to; j++) trace.push(skipped(nodes[j]!, item));
      return { error };
    }
    const durationUs = elapsedUs(started);
    outputs[i] = result.output;
    ports[i] = result.port ?? "out";
    last = result.output;

    const tracedInput = input === measured ? measuredTrace : traceValue(input);
    // A node that hands its input on (trigger, auth, validate) returns the very same value: measured already.
    const tracedOutput = result.output === input ? tracedInput : traceValue(result.output);
    measured = result.output;
    measuredTrace = tracedOutput;
    const entry: TraceEntry = {
      nodeId: node.id,
      type: node.type,
      name: node.name,
      status: "success",
      input: tracedInput.value,
      output: tracedOutput.value,
      durationUs,
    };
    if (tracedInput.truncated || tracedOutput.truncated) entry.truncated = true;
    if (result.port !== undefined) entry.port = result.port;
    if (result.note !== undefined) entry.note = result.note;
    if (item !== undefined) entry.item = item;
    trace.push(entry);
  }
  return { last };
}
