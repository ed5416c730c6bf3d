/**
 * The inside of an expression thread (loaded by expression-worker.mjs): evaluates one expression
 * with its full time box, as compileExpression does off the main thread, and answers with plain
 * JSON or the serialized FlowError. `$lookup` asks the main thread's record services over the
 * task's port; `$now` and `$millis` read the execution's clock that came with the task.
 */
import type { MessagePort } from "node:worker_threads";
import { FlowError, flowErrorFromJSON, toFlowError } from "./errors";
import { compileExpression, type CompiledExpression } from "./jsonata";
import { isWarmTask, type ExpressionAnswer, type ExpressionTask, type LookupAnswer, type LookupRequest, type ThreadScope, type WarmTask } from "./expression-protocol";
import { scopeToken, SCOPE_BINDING } from "./scope";
import { resolveServices } from "./services";

/** Compiled expressions by limits and text; cleared when full (a thread sees the flows in use). */
const compiled = new Map<string, CompiledExpression>();
const MAX_COMPILED = 500;

function compiledFor(task: ExpressionTask): CompiledExpression {
  const key = `${task.limits.timeoutMs}/${task.limits.maxDepth}/${task.site.nodeId ?? ""}/${JSON.stringify(task.site.path ?? [])}\n${task.text}`;
  let expr = compiled.get(key);
  if (expr === undefined) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    expr = compileExpression(task.text, task.site, task.limits);
    compiled.set(key, expr);
  }
  return expr;
}

/** Record lookups answered by the main thread, over the task's port. */
function lookupsOver(port: MessagePort): (entity: string, key: unknown, options?: { field?: string }) => Promise<unknown> {
  let nextId = 1;
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  port.on("message", (answer: LookupAnswer) => {
    const pending = waiting.get(answer.id);
    if (!pending) return;
    waiting.delete(answer.id);
    if (answer.ok) pending.resolve(answer.value);
    else pending.reject(flowErrorFromJSON(answer.error));
  });
  return (entity, key, options) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      const request: LookupRequest = { id, entity, key, ...(options?.field === undefined ? {} : { field: options.field }) };
      port.postMessage(request);
    });
}

function scopeBinding(scope: ThreadScope): object {
  const lookup = scope.lookups ? lookupsOver(scope.lookups) : undefined;
  const services = resolveServices(lookup ? { records: { lookup: (entity, key, options) => lookup(entity, key, options) as never } } : {});
  return scopeToken({ services, dryRun: scope.dryRun, now: new Date(scope.now) });
}

export async function runExpressionTask(task: ExpressionTask | WarmTask): Promise<ExpressionAnswer> {
  if (isWarmTask(task)) return { ok: true, value: null, ms: 0 };
  const started = performance.now();
  try {
    const bindings = task.scope ? { ...task.bindings, [SCOPE_BINDING]: scopeBinding(task.scope) } : task.bindings;
    const value = await compiledFor(task).evaluate(task.input, bindings);
    return { ok: true, value, ms: performance.now() - started };
  } catch (err) {
    return { ok: false, error: (err instanceof FlowError ? err : toFlowError(err, task.site.nodeId)).toJSON(), ms: performance.now() - started };
  } finally {
    task.scope?.lookups?.close();
  }
}
