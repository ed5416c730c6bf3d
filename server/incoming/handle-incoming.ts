/**
 * POST /api/v1/integration/incoming/{slug} (and the seed's bare path routed by
 * `x-integration-code`). In the seed's order: unknown or inactive → 404, not
 * JSON → 415, too large → 413, malformed → 400, credentials → 401/403/429, then
 * the published flow runs. The record it stores and its log row commit together;
 * a call that fails is logged after its work rolled back. Every answer carries
 * requestId (also in x-request-id).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import { execute, type ExecutionResult } from "@/server/engine/execute";
import { keyFieldsOf } from "@/flows/key-fields";
import { APP_ERRORS, appErrorMessage, type AppErrorCode } from "@/flows/app-errors";
import { firstWith } from "@/flows/nodes/registry";
import { FlowError } from "@/server/engine/errors";
import { authRefusalCode } from "@/server/errors/to-app-error";
import { compactTrace } from "@/server/executions/compact-trace";
import { recordExecution, loggedBody, type ExecutionEntry } from "@/server/executions/record-execution";
import { unitOfWork, Rollback, type UnitOfWork } from "@/server/db/unit-of-work";
import { isDatabaseUnavailable } from "@/server/db/unavailable";
import { logger } from "@/server/log";
import { postgresServices, type RecordServicesOptions } from "@/server/records/engine-services";
import type { Queryable } from "@/server/db/queryable";
import type { IncomingEndpoint } from "./endpoints";
import { lookupsStillCurrent, StaleLookup, type LookupCheck } from "./endpoint-cache";
import { runGrouped, type GroupedCall } from "./call-group";
import { admit, admitFromCache, type CallState } from "./admit-call";
import { rateLimitHeaders } from "./rate-limit";
import { ClientAborted, flatHeaders, HttpProblem, requestIdOf, sendJson } from "./http-io";
import { claimIdempotencyKey, completeIdempotencyKey, hashRequest, releaseIdempotencyKey, validateIdempotencyKey, type IdempotencyClaim } from "./idempotency";
import { clientAddressOf } from "@/server/http/client-address";

export const INCOMING_PREFIX = "/api/v1/integration/incoming";
/** Retry-After of a 503 while the database is unreachable. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Whether node:http should hand this URL to handleIncoming rather than Next. */
export function isIncomingPath(url: string | undefined): boolean {
  if (!url?.startsWith(INCOMING_PREFIX)) return false;
  const next = url.charAt(INCOMING_PREFIX.length);
  return next === "" || next === "/" || next === "?";
}
export async function handleIncoming(sql: Sql, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = requestIdOf(req);
  const state: CallState = {
    req,
    requestId,
    executionId: executionIdFor(req, requestId),
    startedAt: new Date(),
    started: process.hrtime.bigint(),
    headers: flatHeaders(req),
    remoteAddress: clientAddressOf(req.socket.remoteAddress, req.headers["x-forwarded-for"]),
  };
  let claim: IdempotencyClaim | undefined;
  try {
    if (req.method !== "POST") throw new HttpProblem("METHOD_NOT_ALLOWED", { headers: { allow: "POST" } });
    state.slug = slugOf(req.url ?? "", state.headers);
    const idempotencyKey = state.headers["idempotency-key"];
    // A claimed key is a write before the flow: such calls always read their lookup fresh.
    const check = idempotencyKey === undefined ? await admitFromCache(sql, state) : undefined;
    if (!check) await admit(sql, state);

    if (idempotencyKey !== undefined) {
      const scope = `${state.endpoint!.slug}:${state.client?.clientId ?? "public"}`;
      claim = await claimIdempotencyKey(sql, scope, validateIdempotencyKey(idempotencyKey), hashRequest(state.rawText!));
      if (claim.kind === "replay") {
        const body = { ...(claim.answer.body as object), requestId: state.requestId };
        sendJson(res, claim.answer.httpStatus, body, { "x-request-id": state.requestId, "idempotent-replayed": "true" });
        return;
      }
    }
    const newClaim = claim?.kind === "new" ? claim : undefined;
    try {
      // A call may share its transaction with the calls arriving beside it (call-group.ts). A batch
      // flow's items take savepoints of their own: it always runs alone.
      const grouped = state.endpoint!.plan.batch ? undefined : await runGrouped(sql, groupedCall(state, check, newClaim));
      if (grouped) return sendResult(res, state, grouped);
      await runFlow(sql, state, res, newClaim, check);
    } catch (error) {
      if (!(error instanceof StaleLookup)) throw error;
      // Something the cached lookup read changed (or the key expired): everything rolled back; run it fresh.
      await admit(sql, state);
      await runFlow(sql, state, res, newClaim, undefined);
    }
  } catch (error) {
    if (claim?.kind === "new") await releaseIdempotencyKey(sql, claim).catch(() => undefined);
    await answerProblem(sql, state, res, error);
  }
}
/**
 * A request id Flowport generated is a fresh uuid, so it doubles as the execution's id: the log
 * finds the call by primary key, and the request-id index only holds ids callers sent themselves
 * (drizzle/0012_executions_lean_indexes.sql), one index entry fewer per call. A caller's own id
 * may repeat (their retries), so its execution gets an id of its own.
 */
function executionIdFor(req: IncomingMessage, requestId: string): string {
  return requestId === req.headers["x-request-id"] ? randomUUID() : requestId;
}

function slugOf(url: string, headers: Record<string, string>): string | undefined {
  const path = url.split("?")[0]!.replace(/\/+$/, "");
  if (path === INCOMING_PREFIX) return headers["x-integration-code"]?.trim().toLowerCase() || undefined;
  const rest = path.slice(INCOMING_PREFIX.length + 1);
  if (!rest || rest.includes("/")) return undefined;
  try {
    return decodeURIComponent(rest);
  } catch {
    // Not percent-encoded UTF-8 (`%E0%A4%A`): no flow has such a slug, so 404 like any unknown one.
    return undefined;
  }
}
/** The call's flow on `tx`, as a live incoming execution. */
function runCallFlow(state: CallState, tx: UnitOfWork, options?: RecordServicesOptions): Promise<ExecutionResult> {
  const client = state.client;
  const services = postgresServices(tx, { auth: { verifyIncoming: async () => client ?? { clientId: "public" } }, logger: logger() }, options);
  return execute(state.endpoint!.plan, state.body, { services, headers: state.headers, rawBody: state.rawText, executionId: state.executionId });
}

function groupedCall(state: CallState, check: LookupCheck | undefined, claim: { scope: string; key: string } | undefined): GroupedCall {
  return {
    check,
    run: (tx, options) => runCallFlow(state, tx, options),
    logEntry: (result) => executionEntry(state, result),
    alsoCommit: claim ? (sql, result) => settleIdempotencyKey(sql, claim, result) : undefined,
  };
}

/** What a call's Idempotency-Key keeps: its answer, or nothing after something unexpected (the caller may retry). */
function settleIdempotencyKey(sql: Queryable, claim: { scope: string; key: string }, result: ExecutionResult) {
  return result.outcome === "ERROR" ? releaseIdempotencyKey(sql, claim) : completeIdempotencyKey(sql, claim, { httpStatus: result.httpStatus, body: result.response });
}

function sendResult(res: ServerResponse, state: CallState, result: ExecutionResult) {
  const limit = state.client?.rateLimit ? rateLimitHeaders(state.client.rateLimit) : {};
  sendJson(res, result.httpStatus, { ...result.response, requestId: state.requestId }, { "x-request-id": state.requestId, ...limit });
}

async function runFlow(sql: Sql, state: CallState, res: ServerResponse, claim: { scope: string; key: string } | undefined, check: LookupCheck | undefined) {
  let result: ExecutionResult;
  try {
    // The call's own unit of work (alone, or sent back by its group): its record, its log row and its
    // idempotency answer commit together.
    result = await unitOfWork(
      sql,
      async (tx) => {
        // A cached lookup proves itself in a statement that rides with the flow's first query (no
        // round trip of its own). Its answer is in before that query's, and is awaited
        // before anything is answered, logged or committed: a stale call's work only ever rolls
        // back. Strict because an incoming flow's only effects are this transaction's writes
        // (its services have no send: nothing leaves the process before the answer is known).
        const current = check ? lookupsStillCurrent(tx.sql, [check]) : undefined;
        current?.catch(() => undefined); // awaited below
        const running = runCallFlow(state, tx);
        // Stale wins over whatever the flow made of stale settings, even a throw.
        const settled = await running.then((value) => ({ value }), (error: unknown) => ({ error }));
        if (current && !(await current)) throw new StaleLookup();
        if ("error" in settled) throw settled.error;
        const ran = settled.value;
        // A partial batch (207) keeps the items that succeeded; any other failure undoes everything.
        if (ran.outcome !== "SUCCESS" && ran.httpStatus !== 207) throw new Rollback(ran);
        return ran;
      },
      (tx, ran) =>
        Promise.all([
          recordExecution(tx.sql, executionEntry(state, ran)),
          claim ? settleIdempotencyKey(tx.sql, claim, ran) : undefined,
        ]),
    );
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
    result = error.value as ExecutionResult;
    // The database went away mid-flow: a 503 to retry, not the flow's 500 (answerProblem).
    if (result.outcome === "ERROR" && isDatabaseUnavailable(result.error)) throw result.error;
    // The work rolled back; the failure is still logged, and remembered for its key.
    await sql.begin(async (tx) => {
      await recordExecution(tx, executionEntry(state, result));
      if (claim) await settleIdempotencyKey(tx, claim, result);
    });
  }
  sendResult(res, state, result);
}

function executionEntry(state: CallState, result: ExecutionResult): ExecutionEntry {
  const endpoint = state.endpoint!;
  const request = requestLog(state);
  return {
    id: state.executionId,
    startedAt: state.startedAt,
    direction: "incoming",
    flowId: endpoint.flowId,
    flowSlug: endpoint.slug,
    flowVersion: endpoint.version,
    requestId: state.requestId,
    clientId: state.client?.clientId === "public" ? null : state.client?.clientId,
    clientName: state.client?.clientName,
    status: result.outcome,
    httpStatus: result.httpStatus,
    errorCode: result.errorCode,
    errorMessage: result.error?.message ?? (result.outcome === "SUCCESS" ? null : String(result.response.message ?? "")),
    recordEntity: recordEntityOf(endpoint),
    recordId: result.recordId,
    durationMs: elapsedMs(state.started),
    request,
    response: { status: result.httpStatus, body: { ...result.response, requestId: state.requestId } },
    redactFields: endpoint.plan.flow.options.redactFields,
    keyFields: keyFieldsOf(endpoint.plan.flow),
    // Node names live in the version the row names; the trigger's input is the body logged above.
    trace: endpoint.plan.flow.options.logPayloads
      ? compactTrace(result.trace, { withoutNodeNames: true, requestBody: request.bodyTruncated ? undefined : request.body })
      : undefined,
  };
}

// Asked on every call: read once per compiled plan (plans are immutable and cached).
const recordEntities = new WeakMap<IncomingEndpoint["plan"], string | undefined>();

/** The entity the flow's record-writing node saves, for the log row. */
function recordEntityOf(endpoint: IncomingEndpoint): string | undefined {
  const { plan } = endpoint;
  if (!recordEntities.has(plan)) recordEntities.set(plan, firstWith(plan.flow.nodes, "recordWrite")?.value.entity);
  return recordEntities.get(plan);
}

/** The request as logged; recordExecution redacts its secrets (and the flow's redactFields) before storing it. */
function requestLog(state: CallState) {
  const redactFields = state.endpoint?.plan.flow.options.redactFields;
  const logged = state.rawText === undefined ? { body: null, bodyTruncated: false } : loggedBody(state.rawText, state.body, redactFields);
  return { method: "POST", path: `${INCOMING_PREFIX}/${state.slug ?? ""}`, headers: state.headers, ...logged };
}

const elapsedMs = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;

/** Everything that ends a call before or outside the flow: the seed's error shape, logged. */
async function answerProblem(sql: Sql, state: CallState, res: ServerResponse, error: unknown) {
  // Status and code from the error table (flows/app-errors.ts); the message is the refusal's own.
  let code: AppErrorCode = "INTERNAL_ERROR";
  let message = appErrorMessage(code);
  const headers: Record<string, string> = { "x-request-id": state.requestId };
  if (error instanceof HttpProblem) {
    code = error.code;
    message = error.message;
    Object.assign(headers, error.headers);
  } else if (error instanceof FlowError && error.code === "AUTH_FAILED") {
    // Refused by the inbound checks: 401, or 403/429 when details.reason says FORBIDDEN_FLOW, IP_NOT_ALLOWED or RATE_LIMITED.
    code = authRefusalCode(error);
    message = error.message;
    if (typeof error.details.wwwAuthenticate === "string") headers["www-authenticate"] = error.details.wwwAuthenticate;
    if (typeof error.details.retryAfterSeconds === "number") headers["retry-after"] = String(error.details.retryAfterSeconds);
    if (error.details.rateLimitHeaders) Object.assign(headers, error.details.rateLimitHeaders);
  } else if (error instanceof ClientAborted) {
    // The caller hung up before its body arrived: nothing ran, nobody is left to answer, nothing to log as a failure.
    logger().info({ requestId: state.requestId, slug: state.slug, remoteAddress: state.remoteAddress }, "client aborted the request");
    return;
  } else if (isDatabaseUnavailable(error)) {
    code = "SERVICE_UNAVAILABLE";
    message = appErrorMessage(code);
    headers["retry-after"] = String(DATABASE_RETRY_AFTER_SECONDS);
    logger().warn({ requestId: state.requestId, slug: state.slug, reason: (error as Error).message }, "incoming call refused: database unavailable");
  } else {
    logger().error({ err: error, requestId: state.requestId, slug: state.slug }, "incoming call failed unexpectedly");
  }
  const status = APP_ERRORS[code].httpStatus;
  const body = { status: "error", errorCode: code, message, requestId: state.requestId };
  // Without a database there is nowhere to log it (and trying would only make the caller wait).
  if (status === 503 && code === "SERVICE_UNAVAILABLE") {
    if (!res.headersSent) sendJson(res, status, body, headers);
    return;
  }
  // Logged before answering: a caller who has its answer can always find its log row.
  try {
    await recordExecution(sql, {
      id: state.executionId,
      startedAt: state.startedAt,
      direction: "incoming",
      flowId: state.endpoint?.flowId,
      flowSlug: state.endpoint?.slug ?? state.slug,
      flowVersion: state.endpoint?.version,
      requestId: state.requestId,
      clientId: state.client?.clientId,
      clientName: state.client?.clientName,
      status: status >= 500 ? "ERROR" : "FAILED",
      httpStatus: status,
      errorCode: code,
      errorMessage: error instanceof Error ? error.message : String(error),
      durationMs: elapsedMs(state.started),
      request: requestLog(state),
      response: { status, body },
      redactFields: state.endpoint?.plan.flow.options.redactFields,
      keyFields: state.endpoint ? keyFieldsOf(state.endpoint.plan.flow) : undefined,
    });
  } catch (logError) {
    logger().error({ err: logError, requestId: state.requestId }, "could not log an incoming call");
  }
  if (!res.headersSent) sendJson(res, status, body, headers);
}
