/**
 * Long expressions off the main thread. compileExpression (./jsonata.ts) evaluates on the main
 * thread with a short time slice (`yieldEveryMs`, 10 ms by default) as jsonata's public `timeout`
 * option; an evaluation that outruns the slice is run again here, in a piscina worker thread, with
 * the flow's whole time box. So no evaluation holds the event loop for more than the slice (plus
 * one bounded step), whatever it does, and a runaway one still ends with EXPRESSION_TIMEOUT at its
 * time box. What crosses is data only: the text, the input and bindings (structured clones), the
 * execution's clock, and a port on which the thread asks for `$lookup`s (expression-protocol.ts).
 *
 * The pool is started and warmed once per process (`warmExpressionThreads`, at start-up; a cold
 * thread loads tsx and the engine, which took seconds on a loaded machine) and ended by
 * `closeExpressionThreads` at shutdown. It lives on globalThis: the tsx-run launcher and Next's
 * bundled route handlers each load their own copy of this module and share one pool per process.
 */
import os from "node:os";
import path from "node:path";
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { Piscina } from "piscina";
import { logger } from "@/server/log";
import { threadEntryFile } from "@/server/threads/entry-file";
import { FlowError, flowErrorFromJSON, toFlowError } from "./errors";
import type { ExpressionAnswer, ExpressionTask, LookupAnswer, LookupRequest, WarmTask } from "./expression-protocol";
import type { EvaluationScope } from "./scope";

const KEY = Symbol.for("flowport.expressionThreads");
type Holder = typeof globalThis & { [KEY]?: Piscina };

const WORKER_FILE = path.join("server", "engine", "expression-worker.mjs");
/** Threads above the first that idle this long end. */
const IDLE_THREAD_MS = 60_000;

function pool(): Piscina {
  const holder = globalThis as Holder;
  if (holder[KEY] === undefined) {
    const piscina = new Piscina({
      filename: threadEntryFile(WORKER_FILE, import.meta.url),
      // One thread always up (warm); a second on machines with four cores or more.
      minThreads: 1,
      maxThreads: Math.max(1, Math.floor(os.availableParallelism() / 2)),
      idleTimeout: IDLE_THREAD_MS,
      // The launcher's `--import tsx` is not inherited: the entry registers tsx itself.
      execArgv: [],
    });
    // A thread that fails with no task of ours running must not crash the process.
    piscina.on("error", (error: unknown) => logger().warn({ err: error }, "expression thread failed"));
    holder[KEY] = piscina;
  }
  return holder[KEY];
}

let threadRuns = 0;

/** Evaluations run in an expression thread since the process started (tests, diagnostics). */
export function expressionThreadRuns(): number {
  return threadRuns;
}

/** Starts the pool and waits until its thread has loaded the engine (start-up, and tests). */
export async function warmExpressionThreads(): Promise<void> {
  const warm: WarmTask = { warm: true };
  await pool().run(warm);
}

/** Ends the pool's threads (shutdown, tests). */
export async function closeExpressionThreads(): Promise<void> {
  const holder = globalThis as Holder;
  const piscina = holder[KEY];
  holder[KEY] = undefined;
  await piscina?.destroy();
}

/** Answers the thread's `$lookup`s with the execution's own record services. */
function serveLookups(port: MessagePort, scope: EvaluationScope): void {
  port.on("message", (request: LookupRequest) => {
    const answer = (result: LookupAnswer) => port.postMessage(result);
    scope.services.records
      .lookup(request.entity, request.key, { ...(request.field === undefined ? {} : { field: request.field }), dryRun: scope.dryRun })
      .then(
        (value) => answer({ id: request.id, ok: true, value: value ?? undefined }),
        (error: unknown) => answer({ id: request.id, ok: false, error: (error instanceof FlowError ? error : toFlowError(error)).toJSON() }),
      );
  });
}

/**
 * Evaluates `task` in an expression thread with the execution scope's clock and lookups (when
 * `scope` is given); resolves with the plain JSON result, rejects with the FlowError the thread
 * reported. Throws DataCloneError at once when the input or a binding is not plain data.
 * `took` hears how long the evaluation itself ran in the thread.
 */
export async function evaluateInThread(task: Omit<ExpressionTask, "scope">, scope: EvaluationScope | undefined, took?: (ms: number) => void): Promise<unknown> {
  threadRuns++;
  let local: MessagePort | undefined;
  let sent: ExpressionTask = task;
  if (scope) {
    const channel = new MessageChannel();
    local = channel.port1;
    serveLookups(local, scope);
    sent = { ...task, scope: { now: scope.now.getTime(), dryRun: scope.dryRun, lookups: channel.port2 } };
  }
  try {
    const answer = (await pool().run(sent, local ? { transferList: [sent.scope!.lookups!] } : {})) as ExpressionAnswer;
    took?.(answer.ms);
    if (answer.ok) return answer.value;
    throw flowErrorFromJSON(answer.error);
  } finally {
    local?.close();
  }
}
