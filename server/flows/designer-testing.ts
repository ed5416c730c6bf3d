/**
 * Testing in the designer (the seed's §3.8): a draft dry-run on a sample, shaped for the designer, and
 * samples taken from logged requests. The tRPC router (server/trpc/routers/designer-testing.ts) only
 * checks permissions and input and calls these.
 */
import type { KeyValue } from "@/server/executions/search-keys";
import type { Sql } from "postgres";
import type { DesignerNodeResult, DesignerRunResult } from "@/app/components/designer/testing/run-result";
import type { FlowFile, FlowSample } from "@/flows/format";
import { validateGraph, type GraphError } from "@/flows/validate-graph";
import { entityCatalog } from "@/flows/erp/entities";
import type { ExecutionResult } from "@/server/engine/execute";
import { expandTrace, type LoggedTraceEntry } from "@/server/executions/compact-trace";
import { dryRunInThread } from "@/server/drafts/draft-pool";
import { AppError } from "@/server/errors/app-error";
import { resolveGenerators, SampleGeneratorError } from "@/flows/samples/generators";

/** A user error (INVALID_REQUEST or NOT_FOUND in flows/app-errors.ts), with a message for the analyst. */
export class DesignerTestingError extends AppError {
  constructor(
    public readonly kind: "BAD_REQUEST" | "NOT_FOUND",
    message: string,
    public readonly problems: GraphError[] = [],
  ) {
    super(kind === "NOT_FOUND" ? "NOT_FOUND" : "INVALID_REQUEST", { message });
    this.name = "DesignerTestingError";
  }
}

/** The engine's result in the designer's shape; batch runs keep each node's first error, else its last entry. */
export function toDesignerRunResult(result: ExecutionResult): DesignerRunResult {
  const nodes: Record<string, DesignerNodeResult> = {};
  for (const entry of result.trace) {
    const known = nodes[entry.nodeId];
    if (known?.status === "error") continue;
    nodes[entry.nodeId] = {
      status: entry.status,
      input: entry.input,
      output: entry.output,
      durationMs: Math.round(entry.durationUs) / 1000,
      ...(entry.error ? { error: { code: entry.error.code, message: entry.error.message } } : {}),
      ...(entry.note ? { note: entry.note } : {}),
    };
  }
  return {
    status: result.outcome,
    httpStatus: result.httpStatus,
    responseBody: result.response,
    recordPreview: result.record,
    nodes,
    requests: result.requests.map((r) => ({ connection: r.connection, method: r.method, path: r.path, body: r.body })),
    errorCode: result.errorCode,
    fieldErrors: result.error?.fieldErrors?.map((f) => ({ field: f.field, code: f.code, message: f.message })),
    durationMs: Math.round(result.durationUs) / 1000,
  };
}

/**
 * Dry-runs a draft (not yet saved or published) on a sample, refusing a draft the engine cannot
 * compile. The run itself is in a draft-runner thread (server/drafts/): DraftRunError when stopped.
 */
export async function dryRunDraft(sql: Sql, flow: FlowFile, sample: Pick<FlowSample, "payload" | "headers">): Promise<DesignerRunResult> {
  const problems = validateGraph(flow, entityCatalog());
  // Connections and credentials live in the database; the engine resolves them (or reports them) itself.
  const blocking = problems.filter((p) => p.code !== "UNKNOWN_CONNECTION" && p.code !== "UNKNOWN_CREDENTIAL");
  if (blocking.length > 0) {
    const first = blocking[0]!;
    throw new DesignerTestingError(
      "BAD_REQUEST",
      `The flow has ${blocking.length} problem${blocking.length === 1 ? "" : "s"} to fix before a dry run; first: ${first.nodeId ? `${first.nodeId}: ` : ""}${first.message}`,
      blocking,
    );
  }
  // Generators ({{unique}}, {{today}}…) get this run's values; the drawer shows both text and value.
  let resolved: ReturnType<typeof resolveGenerators<FlowSample["payload"]>>;
  try {
    resolved = resolveGenerators(sample.payload);
  } catch (error) {
    if (error instanceof SampleGeneratorError) throw new DesignerTestingError("BAD_REQUEST", `The sample's generator is not valid: ${error.message}`);
    throw error;
  }
  const result = toDesignerRunResult(await dryRunInThread(sql, flow, { ...sample, payload: resolved.value }));
  return resolved.generated.length > 0 ? { ...result, generated: resolved.generated } : result;
}

/** Headers worth keeping in a sample: no credentials (they are redacted in logs anyway), no transport. */
const DROPPED_HEADERS = new Set([
  "authorization",
  "x-api-key",
  "cookie",
  "proxy-authorization",
  "webhook-signature",
  "host",
  "content-length",
  "connection",
  "accept-encoding",
  "transfer-encoding",
]);

export interface LoggedRequestSummary {
  id: string;
  startedAt: string;
  direction: "incoming" | "outgoing";
  mode: string;
  status: string;
  httpStatus: number | null;
  errorCode: string | null;
  recordId: string | null;
  clientName: string | null;
  /** The flow's key fields as the request sent them (GST_No, Vendor_Name…), so identical-looking rows can be told apart. */
  keyValues: KeyValue[] | null;
}

/** The flow's most recent logged executions, newest first, to pick a sample from. */
export async function recentExecutions(sql: Sql, flowSlug: string, limit = 20): Promise<LoggedRequestSummary[]> {
  const rows = await sql<
    { id: string; started_at: Date; direction: "incoming" | "outgoing"; mode: string; status: string; http_status: number | null; error_code: string | null; record_id: string | null; client_name: string | null; key_values: KeyValue[] | null }[]
  >`
    select id, started_at, direction, mode, status, http_status, error_code, record_id, client_name, key_values
    from executions
    where flow_slug = ${flowSlug} and (request is not null or trace is not null)
    order by started_at desc, id desc
    limit ${limit}`;
  return rows.map((r) => ({
    id: r.id,
    startedAt: r.started_at.toISOString(),
    direction: r.direction,
    mode: r.mode,
    status: r.status,
    httpStatus: r.http_status,
    errorCode: r.error_code,
    recordId: r.record_id,
    clientName: r.client_name,
    keyValues: r.key_values,
  }));
}

/**
 * A sample made from a logged execution: an incoming call's request body and headers, or the ERP
 * record an outgoing delivery started from (its trigger's input in the trace).
 */
export async function sampleFromExecution(sql: Sql, flowSlug: string, executionId: string): Promise<FlowSample> {
  const [row] = await sql<{ direction: string; started_at: Date; status: string; request: unknown; trace: unknown; record_id: string | null }[]>`
    select direction, started_at, status, request, trace, record_id from executions
    where id = ${executionId} and flow_slug = ${flowSlug}`;
  if (!row) throw new DesignerTestingError("NOT_FOUND", `No logged request ${executionId} for flow ${flowSlug}`);
  const name = `Logged ${row.status.toLowerCase()} ${row.started_at.toISOString().slice(0, 19).replace("T", " ")}`;
  const description = `From logged request ${executionId}`;
  if (row.direction === "incoming") {
    const request = (row.request ?? {}) as { body?: unknown; bodyTruncated?: boolean; headers?: Record<string, string> };
    if (request.bodyTruncated) throw new DesignerTestingError("BAD_REQUEST", "That request's body was too large to log in full, so it cannot be used as a sample");
    if (request.body === undefined || request.body === null || typeof request.body === "string") {
      throw new DesignerTestingError("BAD_REQUEST", "That request has no JSON body in the log (payload logging may be off for this flow)");
    }
    const headers = Object.fromEntries(Object.entries(request.headers ?? {}).filter(([k]) => !DROPPED_HEADERS.has(k.toLowerCase())));
    return { name, description, payload: request.body as FlowSample["payload"], ...(Object.keys(headers).length > 0 ? { headers } : {}) };
  }
  // Only the first input is read: the node names the compact form may leave out are not needed.
  const trace = Array.isArray(row.trace) ? expandTrace(row.trace as LoggedTraceEntry[], { request: row.request }) : [];
  const input = trace[0]?.input;
  if (input === undefined || input === null) throw new DesignerTestingError("BAD_REQUEST", "That delivery's log has no record (payload logging may be off for this flow)");
  return { name, description, payload: input as FlowSample["payload"] };
}
