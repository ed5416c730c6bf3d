/**
 * The inside of a draft-runner thread (loaded by draft-worker.mjs): runs one draft task on the
 * thread's own database client and returns the engine's result. The pool terminates the thread
 * when a task overruns its time; its connection then drops and PostgreSQL rolls the dry run's
 * transaction back, so nothing here needs to survive a kill.
 */
import { parentPort, threadId } from "node:worker_threads";
import postgres, { type Sql } from "postgres";
import { compileFlow } from "@/server/engine/compile";
import type { ExecutionResult } from "@/server/engine/execute";
import { dryRunFlow } from "@/server/flows/dry-run";
import { runReplay } from "@/server/logs/replay-run";
import { DRAFT_APPLICATION_NAME, type DraftConnection, type DraftEnvelope, type DraftStartedMessage, type DraftTaskResult } from "./protocol";

/** One small client per database (a process has one; a test process may have several). */
const clients = new Map<string, { sql: Sql; ready: Promise<Sql> }>();

/**
 * The thread's client for `connection`, once it has connected: opening a connection is the
 * thread's cost, not the draft's, so it happens before the draft's time starts (a cold thread on a
 * busy machine took longer than a short FLOWPORT_DRAFT_TIMEOUT_MS just to connect). A client that
 * could not connect is dropped, so the next task tries afresh.
 */
function clientFor(connection: DraftConnection): Promise<Sql> {
  const key = JSON.stringify(connection);
  let client = clients.get(key);
  if (!client) {
    const sql = postgres({
      ...connection,
      connection: { ...connection.connection, application_name: DRAFT_APPLICATION_NAME },
      // A dry run is one transaction; a second connection covers the rare overlap.
      max: 2,
      connect_timeout: 5,
      // An idle thread lets its connections go; the pool also ends idle threads.
      idle_timeout: 30,
      onnotice: () => undefined,
    });
    const ready = sql`select 1`.then(
      () => sql,
      (error: unknown) => {
        clients.delete(key);
        void sql.end({ timeout: 0 });
        throw error;
      },
    );
    client = { sql, ready };
    clients.set(key, client);
  }
  return client.ready;
}

const ROLLBACK = Symbol("dry replay rollback");

async function run(task: DraftEnvelope, sql: Sql): Promise<ExecutionResult> {
  if (task.kind === "dry-run") return dryRunFlow(sql, task.flow, task.sample);
  const plan = compileFlow(task.flow);
  let result: ExecutionResult | undefined;
  await sql
    .begin(async (tx) => {
      result = await runReplay(tx, plan, { ...task, mode: "dry" });
      throw ROLLBACK;
    })
    .catch((error: unknown) => {
      if (error !== ROLLBACK) throw error;
    });
  return result!;
}

/** JSON values are what a dry run yields; anything a thread cannot post back is sent as JSON. */
function postable(result: ExecutionResult): ExecutionResult {
  try {
    structuredClone(result);
    return result;
  } catch {
    return JSON.parse(JSON.stringify(result)) as ExecutionResult;
  }
}

export async function runDraftTask(task: DraftEnvelope): Promise<DraftTaskResult> {
  const sql = await clientFor(task.connection);
  parentPort?.postMessage({ draftTaskStarted: task.id } satisfies DraftStartedMessage);
  const result = await run(task, sql);
  return { result: postable(result), threadId };
}
