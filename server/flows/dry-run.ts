/**
 * Dry runs: the real engine, the real plan and the real database, with every write
 * rolled back — duplicate and master checks see real data, nothing is kept, no
 * event leaves, and send nodes only report the request they would make.
 */
import type { Sql } from "postgres";
import type { FlowFile, FlowSample } from "@/flows/format";
import { compileFlow } from "@/server/engine/compile";
import { execute, type ExecutionResult } from "@/server/engine/execute";
import { postgresServices } from "@/server/records/engine-services";

const ROLLBACK = Symbol("dry run rollback");

export async function dryRunFlow(sql: Sql, flow: FlowFile, sample: Pick<FlowSample, "payload" | "headers">): Promise<ExecutionResult> {
  const plan = compileFlow(flow);
  let result: ExecutionResult | undefined;
  await sql
    .begin(async (tx) => {
      result = await execute(plan, sample.payload, { services: postgresServices(tx), mode: "dry", headers: sample.headers });
      throw ROLLBACK;
    })
    .catch((error) => {
      if (error !== ROLLBACK) throw error;
    });
  return result!;
}
