/** Runs the small test flows of flows/runtime/testing/flow-builder.ts through the real engine. */
import { compileFlow } from "../compile";
import { execute, type ExecuteOptions, type ExecutionResult } from "../execute";
import { buildFlow, type FlowSpec } from "@/flows/runtime/testing/flow-builder";

export { buildFlow, httpTrigger, type FlowSpec, type NodeSpec } from "@/flows/runtime/testing/flow-builder";

/** Builds, compiles and runs a test flow once. */
export async function runFlow(spec: FlowSpec, input: unknown, options: ExecuteOptions = {}): Promise<ExecutionResult> {
  return execute(compileFlow(buildFlow(spec)), input, options);
}
