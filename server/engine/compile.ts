/**
 * Flow → execution plan, once per flow version: graph validated, configs parsed with their
 * defaults, nodes in topological order, every expression and regex compiled. Executing a plan
 * does no parsing or compiling at all.
 */
import { DEFAULT_PORT, type FlowFile } from "@/flows/format";
import { topologicalOrder } from "@/flows/execution-order";
import { getNodeDefinition } from "@/flows/nodes/registry";
import { validateGraph, type GraphCatalog } from "@/flows/validate-graph";
import { FlowError } from "./errors";
import { getExecutor } from "./executors";
import { compileExpression, DEFAULT_LIMITS, type CompiledExpression, type ExpressionLimits } from "./jsonata";
import type { CompileSite, FlowInfo, NodeRunner } from "./types";

export interface PlanNode {
  id: string;
  type: string;
  name: string;
  run: NodeRunner;
  /** Edges in: the predecessor's index in `plan.nodes` and the port the edge leaves from. */
  incoming: { from: number; port: string }[];
}

export interface ExecutionPlan {
  flow: FlowFile;
  info: FlowInfo;
  /** Topological order; the trigger first. */
  nodes: PlanNode[];
  /** Set when the trigger takes a batch: the rest of the plan runs once per item. */
  batch: boolean;
}

export interface CompileOptions {
  versionId?: string;
  limits?: ExpressionLimits;
  /** Checks entity, master, connection and credential names too. */
  catalog?: GraphCatalog;
  /** Wraps each expression the plan compiles (bench/engine.ts records what a run evaluates). */
  wrapExpression?: (expression: CompiledExpression) => CompiledExpression;
}

export function compileFlow(flow: FlowFile, options: CompileOptions = {}): ExecutionPlan {
  const problems = validateGraph(flow, options.catalog);
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new FlowError("INTERNAL_ERROR", {
      message: `Flow "${flow.slug}" is not valid (${problems.length} problem${problems.length === 1 ? "" : "s"}; first: ${first.nodeId ? `${first.nodeId}: ` : ""}${first.message})`,
      details: { graphErrors: problems },
    });
  }
  const limits = options.limits ?? DEFAULT_LIMITS;
  const trigger = flow.nodes.find((n) => getNodeDefinition(n.type)?.trigger)!;
  const order = topologicalOrder(flow, trigger.id);
  const indexOf = new Map(order.map((id, i) => [id, i]));
  const byId = new Map(flow.nodes.map((n) => [n.id, n]));

  const nodes: PlanNode[] = order.map((id) => {
    const node = byId.get(id)!;
    const definition = getNodeDefinition(node.type)!;
    const config = definition.configSchema.parse(node.config);
    const site: CompileSite = {
      nodeId: id,
      flow,
      limits,
      expression: (text, path) => {
        const compiled = compileExpression(text, { nodeId: id, path }, limits);
        return options.wrapExpression ? options.wrapExpression(compiled) : compiled;
      },
    };
    return {
      id,
      type: definition.type,
      name: node.name,
      run: getExecutor(definition.type).compile(config, site),
      incoming: flow.edges
        .filter((e) => e.target === id)
        .map((e) => ({ from: indexOf.get(e.source)!, port: e.sourcePort ?? DEFAULT_PORT })),
    };
  });

  const triggerDefinition = getNodeDefinition(trigger.type)!;
  const endpoint = triggerDefinition.endpoint;
  return {
    flow,
    info: { slug: flow.slug, name: flow.name, direction: flow.direction, versionId: options.versionId },
    nodes,
    batch: endpoint !== undefined && endpoint.batch(triggerDefinition.configSchema.parse(trigger.config)),
  };
}

/** Plans of recently used flow versions. Versions are immutable, so a plan never goes stale. */
const MAX_PLANS = 256;
const plans = new Map<string, ExecutionPlan>();

/** The plan of a published version (or a draft's revision id), compiled on first use and cached. */
export function getPlan(flowVersionId: string, flow: FlowFile | (() => FlowFile), options: Omit<CompileOptions, "versionId"> = {}): ExecutionPlan {
  const cached = plans.get(flowVersionId);
  if (cached) {
    // Map keeps insertion order: re-inserting marks the entry most recently used.
    plans.delete(flowVersionId);
    plans.set(flowVersionId, cached);
    return cached;
  }
  const plan = compileFlow(typeof flow === "function" ? flow() : flow, { ...options, versionId: flowVersionId });
  plans.set(flowVersionId, plan);
  if (plans.size > MAX_PLANS) plans.delete(plans.keys().next().value!);
  return plan;
}

/** The cached plan of a version, if any, without compiling (and without needing the flow). */
export function peekPlan(flowVersionId: string): ExecutionPlan | undefined {
  const cached = plans.get(flowVersionId);
  if (cached) {
    plans.delete(flowVersionId);
    plans.set(flowVersionId, cached);
  }
  return cached;
}

export function forgetPlan(flowVersionId?: string): void {
  if (flowVersionId === undefined) plans.clear();
  else plans.delete(flowVersionId);
}

export function cachedPlanCount(): number {
  return plans.size;
}
