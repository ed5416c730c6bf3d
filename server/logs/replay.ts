/**
 * Fix-and-replay of logged incoming calls: run a logged request again against the flow's current
 * published version (live: it may store a record), or as a dry run against the draft (every write
 * rolled back); optionally with an edited payload, and optionally from a chosen node, fed that
 * node's logged input (or an edited one). Each replay is logged as an execution of its own
 * (mode "replay" or "dry", replay_of = the original), so the drawer shows its trace like any call.
 *
 * A replay passes the auth node as the caller of the original call: its credentials were checked
 * when it came in, and the logged headers are redacted, so the auth node is answered with that
 * client instead of checking keys again. A call that never authenticated is never replayed past an
 * auth node. What the replay does is the operator's, not the client's: its execution names no API
 * client and logs who started it (request.replay.by), and a record it stores has that operator in
 * its origin.
 *
 * Every check downstream of the chosen node still runs, and the store checks its entity's contract
 * whatever came before. A replay from a node that a validate node feeds starts at that validate
 * node instead (validate passes its input on unchanged, so it sees the same input): an edited
 * record never reaches the store without the flow's rules.
 *
 * A dry run on the draft runs in a draft-runner thread (server/drafts/), like every draft: an
 * expression of a draft nobody has published must not hold the thread that answers API calls.
 */
import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import type { FlowFile } from "@/flows/format";
import { firstWith, hasCapability } from "@/flows/nodes/registry";
import { compileFlow, getPlan, type ExecutionPlan } from "@/server/engine/compile";
import { lowerCaseHeaders } from "@/server/engine/context";
import type { ExecutionResult } from "@/server/engine/execute";
import type { TraceEntry } from "@/server/engine/trace";
import { runDraft } from "@/server/drafts/draft-pool";
import { compactTrace, expandTrace, type LoggedTraceEntry } from "@/server/executions/compact-trace";
import { nodeNamesOf, traceNodesColumn, type TraceNodesRow } from "@/server/executions/trace-nodes";
import { recordExecution } from "@/server/executions/record-execution";
import { keyFieldsOf } from "@/flows/key-fields";
import { getPublishedFlow } from "@/server/flows/repository";
import type { Queryable } from "@/server/db/queryable";
import { LogActionError } from "./errors";
import { runReplay, type ReplayRun } from "./replay-run";

export type ReplayTarget = "published" | "draft";

export interface ReplayOptions {
  target: ReplayTarget;
  /** The edited request body; with `fromNodeId`, the edited input of that node. */
  payload?: unknown;
  /** Start at this node with its logged input (or `payload`), instead of at the trigger. */
  fromNodeId?: string;
  /** The operator who asked for the replay: the execution and any record it stores are theirs. */
  actor: ReplayActor;
}

export interface ReplayActor {
  id: string;
  email: string;
}

export interface ReplayOutcome {
  executionId: string;
  replayOf: string;
  mode: "replay" | "dry";
  flowVersion: number | null;
  status: string;
  httpStatus: number;
  response: Record<string, unknown>;
  recordId: string | null;
  errorCode: string | null;
  trace: TraceEntry[];
}

interface Original {
  id: string;
  started_at: Date;
  direction: string;
  flow_slug: string | null;
  client_id: string | null;
  client_name: string | null;
  request: { headers?: Record<string, string>; body?: unknown; bodyTruncated?: boolean; path?: string } | null;
  trace: LoggedTraceEntry[] | null;
  trace_nodes: TraceNodesRow;
}

async function loadOriginal(sql: Queryable, id: string): Promise<Original> {
  const [row] = await sql<Original[]>`
    select id, started_at, direction, flow_slug, client_id, client_name, request, trace, ${traceNodesColumn(sql)}
    from executions where id = ${id}::uuid limit 1`;
  if (!row) throw new LogActionError("NOT_FOUND", `No execution ${id}`);
  if (row.direction !== "incoming") throw new LogActionError("BAD_REQUEST", "Only incoming calls are replayed; retry an outgoing delivery instead");
  if (!row.flow_slug) throw new LogActionError("BAD_REQUEST", "This call reached no flow, so there is nothing to replay");
  return row;
}

interface Target {
  plan: ExecutionPlan;
  version: number | null;
  flowId: string;
  /** The draft, for a dry run (its thread compiles it again). */
  draft?: FlowFile;
}

async function resolveTarget(sql: Sql, slug: string, target: ReplayTarget): Promise<Target> {
  if (target === "published") {
    const published = await getPublishedFlow(sql, slug);
    if (!published) throw new LogActionError("BAD_REQUEST", `Flow "${slug}" has no published version; replay against the draft as a dry run`);
    if (!published.active) throw new LogActionError("BAD_REQUEST", `Flow "${slug}" is inactive`);
    return { plan: getPlan(published.versionId, published.definition), version: published.version, flowId: published.flowId };
  }
  const [row] = await sql<{ id: string; draft: FlowFile }[]>`select id, draft from flows where slug = ${slug}`;
  if (!row) throw new LogActionError("NOT_FOUND", `Flow "${slug}" no longer exists`);
  try {
    return { plan: compileFlow(row.draft), version: null, flowId: row.id, draft: row.draft };
  } catch (error) {
    throw new LogActionError("BAD_REQUEST", `The draft of "${slug}" does not compile: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const loggedTrace = (original: Original) =>
  expandTrace(original.trace ?? [], { nodes: nodeNamesOf(original.trace_nodes), request: original.request });

/** Where a replay from `nodeId` starts: its index in the plan, its input, and the edge that feeds it. */
function startingPoint(plan: ExecutionPlan, original: Original, nodeId: string, payload: unknown) {
  const index = plan.nodes.findIndex((n) => n.id === nodeId);
  if (index < 0) throw new LogActionError("BAD_REQUEST", `Node "${nodeId}" is not in this version of the flow`);
  if (plan.batch && index > 0) throw new LogActionError("BAD_REQUEST", "A batch flow is replayed from its trigger (each item runs the nodes after it)");
  const trace = loggedTrace(original);
  const logged = trace.find((t) => t.nodeId === nodeId && t.status !== "skipped");
  if (payload === undefined) {
    if (!logged) throw new LogActionError("BAD_REQUEST", `Node "${nodeId}" did not run in this call, so it has no logged input; edit the input to replay from it`);
    if (logged.truncated) throw new LogActionError("BAD_REQUEST", `The logged input of "${nodeId}" was cut for size; paste the input to replay from it`);
  }
  const input = payload !== undefined ? payload : logged!.input;
  // The edge that fed it in the original call (its source ran and left by that port), else the first.
  const ran = new Map(trace.filter((t) => t.status === "success").map((t) => [t.nodeId, t.port ?? "out"]));
  const feeding = (at: number) => plan.nodes[at]!.incoming.find((e) => ran.get(plan.nodes[e.from]!.id) === e.port) ?? plan.nodes[at]!.incoming[0];
  let start = index;
  let edge = feeding(start);
  // Back over the rule-checking (validate) nodes that feed it: they pass their input on, so they check this one.
  while (edge && hasCapability(plan.nodes[edge.from]!, "fieldRules")) {
    start = edge.from;
    edge = feeding(start);
  }
  return { index: start, input, edge };
}

const ROLLBACK = Symbol("replay rollback");

/** Replays one logged incoming call; see the module comment. */
export async function replayExecution(sql: Sql, executionId: string, options: ReplayOptions): Promise<ReplayOutcome> {
  const original = await loadOriginal(sql, executionId);
  if (options.payload === undefined && !options.fromNodeId && original.request?.bodyTruncated) {
    throw new LogActionError("BAD_REQUEST", "The logged body was cut for size; paste the full payload to replay it");
  }
  const target = await resolveTarget(sql, original.flow_slug!, options.target);
  const dry = options.target === "draft";
  const body = options.payload !== undefined && !options.fromNodeId ? options.payload : original.request?.body;
  const headers = lowerCaseHeaders(original.request?.headers);
  const client = original.client_id ? { clientId: original.client_id, clientName: original.client_name ?? undefined } : undefined;
  const id = randomUUID();
  const started = process.hrtime.bigint();
  const startedAt = new Date();

  const run: ReplayRun = {
    mode: dry ? "dry" : "live",
    body,
    headers,
    client,
    executionId: id,
    origin: { kind: "replay", replayOf: original.id, actor: options.actor },
    start: options.fromNodeId ? startingPoint(target.plan, original, options.fromNodeId, options.payload) : undefined,
  };

  let result: ExecutionResult | undefined;
  if (dry) {
    ({ result } = await runDraft(sql, { kind: "dry-replay", flow: target.draft!, ...run }));
  } else {
    await sql
      .begin(async (tx) => {
        result = await runReplay(tx, target.plan, run);
        // Like a live call: a failure keeps nothing.
        if (result.outcome !== "SUCCESS" && result.httpStatus !== 207) throw ROLLBACK;
        await logReplay(tx, original, target, result, { id, startedAt, started, body, dry, options });
      })
      .catch((error: unknown) => {
        if (error !== ROLLBACK) throw error;
      });
  }
  if (dry || (result!.outcome !== "SUCCESS" && result!.httpStatus !== 207)) {
    await logReplay(sql, original, target, result!, { id, startedAt, started, body, dry, options });
  }
  const r = result!;
  return {
    executionId: id,
    replayOf: original.id,
    mode: dry ? "dry" : "replay",
    flowVersion: target.version,
    status: r.outcome,
    httpStatus: r.httpStatus,
    response: r.response,
    recordId: r.recordId ?? null,
    errorCode: r.errorCode ?? null,
    trace: r.trace,
  };
}

async function logReplay(
  sql: Queryable,
  original: Original,
  target: Target,
  result: ExecutionResult,
  run: { id: string; startedAt: Date; started: bigint; body: unknown; dry: boolean; options: ReplayOptions },
) {
  await recordExecution(sql, {
    id: run.id,
    startedAt: run.startedAt,
    direction: "incoming",
    mode: run.dry ? "dry" : "replay",
    flowId: target.flowId,
    flowSlug: original.flow_slug,
    flowVersion: target.version,
    requestId: `replay-${run.id}`,
    // The operator's action, not the API client's: no client is named (the original row keeps it).
    clientId: null,
    clientName: null,
    status: result.outcome,
    httpStatus: result.httpStatus,
    errorCode: result.errorCode,
    errorMessage: result.error?.message ?? (result.outcome === "SUCCESS" ? null : String(result.response.message ?? "")),
    recordEntity: firstWith(target.plan.flow.nodes, "recordWrite")?.value.entity,
    recordId: result.recordId,
    durationMs: Number(process.hrtime.bigint() - run.started) / 1e6,
    request: {
      method: "POST",
      path: original.request?.path,
      headers: original.request?.headers ?? {},
      body: run.options.fromNodeId ? (run.options.payload ?? null) : run.body,
      bodyTruncated: false,
      replay: {
        of: original.id,
        target: run.options.target,
        fromNode: run.options.fromNodeId ?? null,
        edited: run.options.payload !== undefined,
        by: run.options.actor,
        originalClient: original.client_name,
      },
    },
    response: { status: result.httpStatus, body: result.response },
    trace: compactTrace(result.trace),
    replayOf: original.id,
    redactFields: target.plan.flow.options.redactFields,
    keyFields: keyFieldsOf(target.plan.flow),
  });
}
