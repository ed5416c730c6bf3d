/**
 * The engine part of a replay (server/logs/replay.ts): a logged call's body run through a plan
 * inside the caller's transaction, from the trigger or from a chosen node. Apart from replay.ts
 * because a dry replay runs it in a draft-runner thread (server/drafts/), which must not load the
 * pool that sent it there.
 */
import type { TransactionSql } from "postgres";
import type { ExecutionPlan } from "@/server/engine/compile";
import { createContext } from "@/server/engine/context";
import { FlowError } from "@/server/engine/errors";
import { execute, type ExecutionResult } from "@/server/engine/execute";
import { recordResult } from "@/server/engine/result";
import { runNodes } from "@/server/engine/run-nodes";
import { resolveServices } from "@/server/engine/services";
import type { TraceEntry } from "@/server/engine/trace";
import { postgresServices } from "@/server/records/engine-services";
import type { DryReplayTask } from "@/server/drafts/protocol";

export type ReplayRun = Omit<DryReplayTask, "kind" | "flow"> & { mode: "live" | "dry" };

/** Runs `run` through `plan` in `tx`, as the original caller; the caller commits or rolls back. */
export function runReplay(tx: TransactionSql, plan: ExecutionPlan, run: ReplayRun): Promise<ExecutionResult> {
  const { client } = run;
  const services = postgresServices(
    tx,
    {
      auth: {
        verifyIncoming: async () => {
          if (!client) throw new FlowError("AUTH_FAILED", { message: "The original call was not authenticated, so it cannot be replayed as its caller" });
          return client;
        },
      },
    },
    { origin: run.origin },
  );
  const common = { services, mode: run.mode, headers: run.headers, rawBody: JSON.stringify(run.body ?? null), executionId: run.executionId };
  const start = run.start;
  if (!start) return execute(plan, run.body, common);
  if (start.index === 0) return execute(plan, start.input, common);
  return executeFromNode(plan, run.body, start, common);
}

/** The engine from node `start.index` on, as if the node before it had just produced `start.input`. */
async function executeFromNode(
  plan: ExecutionPlan,
  triggerInput: unknown,
  start: NonNullable<ReplayRun["start"]>,
  options: { services: ReturnType<typeof postgresServices>; mode: "live" | "dry"; headers: Record<string, string>; rawBody: string; executionId: string },
): Promise<ExecutionResult> {
  const began = process.hrtime.bigint();
  const services = resolveServices(options.services);
  const ctx = createContext(plan, triggerInput, options.headers, services, {
    mode: options.mode,
    rawBody: options.rawBody,
    executionId: options.executionId,
    now: services.now(),
  });
  const trace: TraceEntry[] = [];
  const seed = start.edge ? { index: start.edge.from, output: start.input, port: start.edge.port } : undefined;
  const { error } = await runNodes(plan, ctx, trace, { from: start.index, seed });
  const r = recordResult(ctx, error);
  return { ...r, mode: options.mode, requests: ctx.requests, trace, durationUs: Number((process.hrtime.bigint() - began) / 1000n) };
}
