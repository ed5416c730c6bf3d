/**
 * One attempt of a delivery (the `deliver-outgoing` job): run the flow version the delivery
 * recorded on the record, send, and settle the delivery: succeeded, pending with the next attempt
 * queued, or failed (the Failed Queue). Each attempt writes one `executions` row in the same
 * transaction as the delivery's new state and attempt count, so the log and the counter agree.
 *
 * Crash safety: the delivery is marked `delivering` first (committed), then the attempt runs in a
 * transaction. A worker that dies mid-attempt leaves `delivering` with the counter unchanged;
 * graphile-worker re-runs the job, which sends again with the same Idempotency-Key (derived from
 * the delivery id), so the external system can recognise the repeat.
 */
import { randomUUID } from "node:crypto";
import type { Sql, TransactionSql } from "postgres";
import { getPlan } from "@/server/engine/compile";
import { execute, type ExecutionResult } from "@/server/engine/execute";
import type { OutgoingRequest, OutgoingResponse } from "@/server/engine/services";
import type { EngineEvent } from "@/server/engine/types";
import { recordExecution } from "@/server/executions/record-execution";
import { redactHeaders } from "@/server/incoming/redact";
import { logger } from "@/server/log";
import { postgresServices } from "@/server/records/engine-services";
import { getRecord, setExternalRef } from "@/server/records/store";
import type { FlowFile } from "@/flows/format";
import { joinUrl } from "./connections";
import { queueDeliveryJob, retryPolicyOf, type DeliveryEvent } from "./dispatch";
import { decideRetry } from "./retry-policy";
import { createSender } from "./send";

export type Sender = (request: OutgoingRequest) => Promise<OutgoingResponse>;

export type DeliveryStatus = "pending" | "delivering" | "succeeded" | "failed" | "discarded";

export interface DeliveryRow {
  id: string;
  flow_id: string;
  flow_slug: string;
  flow_version: number;
  entity: string;
  record_id: string;
  trigger: string;
  event: DeliveryEvent | null;
  idempotency_key: string;
  status: DeliveryStatus;
  attempts: number;
  max_attempts: number;
  payload_override: unknown;
}

export interface AttemptOutcome {
  deliveryId: string;
  /** "skipped": nothing to do (already final, or not found). */
  status: DeliveryStatus | "skipped";
  attempt?: number;
  executionId?: string;
  nextAttemptAt?: Date;
}

export interface DeliverOptions {
  send?: Sender;
  now?: () => Date;
  random?: () => number;
}

const ATTEMPT_DONE = Symbol("attempt done");

/** Runs one attempt of `deliveryId`. Safe to call again for the same delivery: finished ones are skipped. */
export async function deliverOnce(sql: Sql, deliveryId: string, options: DeliverOptions = {}): Promise<AttemptOutcome> {
  const claimed = await sql`
    update deliveries set status = 'delivering', updated_at = now()
    where id = ${deliveryId} and status in ('pending', 'delivering') returning id`;
  if (claimed.length === 0) return { deliveryId, status: "skipped" };

  const send = options.send ?? createSender(sql, { logger: logger() });
  const now = options.now ?? (() => new Date());
  return sql.begin(async (tx) => {
    // Row lock: a second job for the same delivery waits here, then finds it settled.
    const [delivery] = await tx<DeliveryRow[]>`
      select * from deliveries where id = ${deliveryId} and status = 'delivering' for update`;
    if (!delivery) return { deliveryId, status: "skipped" as const };
    return attempt(sql, tx, delivery, send, now, options.random);
  });
}

async function loadFlow(tx: TransactionSql, delivery: DeliveryRow): Promise<{ versionId: string; definition: FlowFile } | undefined> {
  const [row] = await tx<{ id: string; definition: FlowFile }[]>`
    select id, definition from flow_versions where flow_id = ${delivery.flow_id} and version = ${delivery.flow_version}`;
  return row ? { versionId: row.id, definition: row.definition } : undefined;
}

/** The flow's input: the record (data + recordId + status), or a scheduled run's records as an array. */
async function inputOf(tx: TransactionSql, delivery: DeliveryRow): Promise<unknown> {
  const load = async (recordId: string) => {
    const record = await getRecord(tx, delivery.entity, recordId);
    return record ? { ...record.data, recordId: record.recordId, status: record.status } : undefined;
  };
  if (delivery.trigger === "schedule") {
    const ids = delivery.event?.recordIds ?? [];
    return (await Promise.all(ids.map(load))).filter((r) => r !== undefined);
  }
  return load(delivery.record_id);
}

function engineEventOf(delivery: DeliveryRow): EngineEvent | undefined {
  const e = delivery.event;
  if (!e?.entity || !e.type) return undefined;
  const out: EngineEvent = { entity: e.entity, type: e.type, recordId: e.recordId ?? delivery.record_id };
  if (e.toStatus !== undefined) out.toStatus = e.toStatus;
  if (e.fromStatus !== undefined) out.fromStatus = e.fromStatus;
  return out;
}

async function attempt(
  sql: Sql,
  tx: TransactionSql,
  delivery: DeliveryRow,
  sender: Sender,
  now: () => Date,
  random: (() => number) | undefined,
): Promise<AttemptOutcome> {
  const startedAt = now();
  const started = process.hrtime.bigint();
  const attemptNo = delivery.attempts + 1;
  const executionId = randomUUID();
  const flow = await loadFlow(tx, delivery);
  const input = await inputOf(tx, delivery);
  let response: (OutgoingResponse & { url?: string }) | undefined;
  let result: ExecutionResult | undefined;
  let problem: { code: string; message: string } | undefined;

  if (!flow) problem = { code: "NOT_FOUND", message: `Flow ${delivery.flow_slug} version ${delivery.flow_version} no longer exists` };
  else if (input === undefined) problem = { code: "NOT_FOUND", message: `${delivery.entity} ${delivery.record_id} not found` };
  else {
    const plan = getPlan(flow.versionId, flow.definition);
    const send: Sender = async (request) => {
      // Failed Queue "edit and retry": the edited body replaces the mapped one. The request object is
      // the one the engine logs, so the log shows what was really sent.
      if (delivery.payload_override !== null && delivery.payload_override !== undefined) request.body = delivery.payload_override;
      // x-request-id names this attempt: the receiver's logs lead to this attempt's log row.
      request.requestId = executionId;
      response = await sender(request);
      return response;
    };
    // The flow's own writes (the reference field) commit only when the attempt succeeds.
    await tx
      .savepoint(async (sp) => {
        result = await execute(plan, input, { services: postgresServices(sp, { send, logger: logger() }), mode: "live", executionId: delivery.id, event: engineEventOf(delivery) });
        if (result.outcome !== "SUCCESS") throw ATTEMPT_DONE;
      })
      .catch((error: unknown) => {
        if (error !== ATTEMPT_DONE) throw error;
      });
  }

  const error = result?.error;
  const succeeded = result?.outcome === "SUCCESS";
  const retryAfter = error?.details?.retryAfter;
  const policy = flow ? retryPolicyOf(flow.definition) : undefined;
  const decision =
    succeeded || !policy
      ? { retry: false as const }
      : decideRetry(policy, { retryable: error?.retryable === true, attemptsMade: attemptNo, maxAttempts: delivery.max_attempts, retryAfter }, now(), random);
  const failedQueue = flow?.definition.options?.failedQueue ?? true;
  const status: DeliveryStatus = succeeded ? "succeeded" : decision.retry ? "pending" : failedQueue ? "failed" : "discarded";
  const httpStatus = response?.status ?? (typeof error?.details?.status === "number" ? error.details.status : null);
  const errorCode = succeeded ? null : (problem?.code ?? result?.errorCode ?? error?.code ?? null);
  const errorMessage = succeeded ? null : (problem?.message ?? error?.message ?? (result ? String(result.response.message ?? "") : null));
  const referenceId = succeeded ? (result?.referenceId ?? null) : null;
  const request = result?.requests.at(-1);
  // Retry eligibility, the same on the delivery and in this attempt's log entry: whether the failure
  // is of a kind another attempt may fix (null after a success), and when that attempt runs (null: none).
  const retryable = succeeded ? null : decision.retry || error?.retryable === true;
  const nextAttemptAt = decision.retry ? decision.nextAttemptAt! : null;
  const logPayloads = flow?.definition.options?.logPayloads ?? true;

  await recordExecution(tx, {
    id: executionId,
    startedAt,
    direction: "outgoing",
    mode: "live",
    flowId: delivery.flow_id,
    flowSlug: delivery.flow_slug,
    flowVersion: delivery.flow_version,
    connectionName: request?.connection ?? null,
    requestId: request?.requestId ?? null,
    status: result ? result.outcome : "FAILED",
    httpStatus,
    errorCode,
    errorMessage,
    recordEntity: delivery.entity,
    recordId: delivery.record_id,
    referenceId,
    durationMs: Number(process.hrtime.bigint() - started) / 1e6,
    request: request ? await requestLog(sql, request, logPayloads) : undefined,
    // No column holds the retry eligibility: it goes with the answer (alone when there was none).
    response: {
      ...(response ? { status: response.status, headers: redactHeaders(lowerCaseKeys(response.headers)), body: logPayloads ? response.body : undefined } : {}),
      retryable,
      nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
    },
    trace: logPayloads ? result?.trace : undefined,
    attempts: attemptNo,
    deliveryId: delivery.id,
  });

  await tx`
    update deliveries set
      status = ${status}, attempts = ${attemptNo}, updated_at = now(),
      next_attempt_at = ${nextAttemptAt},
      last_error = ${errorMessage}, last_error_code = ${errorCode}, last_http_status = ${httpStatus},
      retryable = ${retryable},
      reference_id = coalesce(${referenceId}, reference_id),
      discard_reason = ${status === "discarded" ? "failed queue disabled" : null},
      completed_at = ${status === "pending" ? null : now()}
    where id = ${delivery.id}`;

  if (decision.retry) await queueDeliveryJob(tx, delivery.id, decision.nextAttemptAt!);
  if (referenceId !== null && delivery.trigger !== "schedule") {
    await setExternalRef(tx, delivery.entity, delivery.record_id, delivery.flow_slug, referenceId);
  }
  return { deliveryId: delivery.id, status, attempt: attemptNo, executionId, nextAttemptAt: decision.retry ? decision.nextAttemptAt : undefined };
}

/** Header names as the redaction list spells them (a receiver may answer `Set-Cookie`). */
const lowerCaseKeys = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

/** The request as logged: where it went, its headers without secrets (credentials are added by the sender, never here), its body. */
async function requestLog(sql: Sql, request: OutgoingRequest, logPayloads: boolean) {
  const [connection] = await sql<{ base_url: string }[]>`select base_url from connections where name = ${request.connection}`;
  let url: string | undefined;
  try {
    url = connection ? joinUrl(connection.base_url, request.path) : undefined;
  } catch {
    url = undefined;
  }
  const headers = redactHeaders(lowerCaseKeys(request.headers));
  if (request.idempotencyKey) headers["idempotency-key"] = request.idempotencyKey;
  if (request.requestId) headers["x-request-id"] = request.requestId;
  return {
    method: request.method,
    connection: request.connection,
    url,
    path: request.path,
    headers,
    credential: request.credential,
    body: logPayloads ? request.body : undefined,
  };
}
