/**
 * Small flows for tests, written as a list of nodes joined in order unless edges are given. Pure
 * (a parsed FlowFile), so flows/ tests build graphs without the engine; running one is the engine's
 * job (server/engine/testing/flow-builder.ts `runFlow`).
 */
import { parseFlow, type FlowDirection, type FlowEdge, type FlowFile, type FlowFileInput } from "@/flows/format";

export type NodeSpec = [id: string, type: string, config: Record<string, unknown>];

export interface FlowSpec {
  direction?: FlowDirection;
  nodes: NodeSpec[];
  /** Default: a chain through the nodes in order. */
  edges?: FlowEdge[];
  slug?: string;
  samples?: FlowFileInput["samples"];
  statusRules?: FlowFileInput["statusRules"];
  options?: FlowFileInput["options"];
}

export function buildFlow(spec: FlowSpec): FlowFile {
  const nodes = spec.nodes.map(([id, type, config], i) => ({ id, type, name: id, position: { x: i * 200, y: 0 }, config }));
  const edges = spec.edges ?? nodes.slice(1).map((node, i) => ({ source: nodes[i]!.id, target: node.id }));
  return parseFlow({
    formatVersion: 1,
    slug: spec.slug ?? "test-flow",
    name: "Test flow",
    direction: spec.direction ?? "incoming",
    nodes,
    edges,
    samples: spec.samples,
    statusRules: spec.statusRules,
    options: spec.options,
  });
}

/** trigger.http in single mode, the usual start of an incoming test flow. */
export const httpTrigger = (config: Record<string, unknown> = {}): NodeSpec => ["trigger", "trigger.http", { slug: "test-flow", ...config }];
