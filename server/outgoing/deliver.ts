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
import type { ReservedSql, Sql } from "postgres";
import type { FlowFile } from "@/flows/format";
import { pipelinedTransaction, type PipelinedTransaction } from "@/server/db/pipelined-transaction";
import { getPlan, peekPlan, type ExecutionPlan } from "@/server/engine/compile";
import { execute, type ExecutionResult } from "@/server/engine/execute";
import type { EngineServices, OutgoingRequest, OutgoingResponse, RecordServices } from "@/server/engine/services";
import type { EngineEvent } from "@/server/engine/types";
import { recordExecution, type ExecutionEntry } from "@/server/executions/record-execution";
import { redactHeaders } from "@/server/incoming/redact";
import { logger } from "@/server/log";
import { postgresServices } from "@/server/records/engine-services";
import { getRecord, type Queryable } from "@/server/records/store";
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

interface AttemptRow extends DeliveryRow {
  /** The flow version the delivery recorded (null: it no longer exists). */
  version_id: string | null;
  /** The record, read in the same statement (never for scheduled runs, which send several). */
  record_data: Record<string, unknown> | null;
  record_found: string | null;
  record_status: string | null;
}

/**
 * Runs one attempt of `deliveryId`. Safe to call again for the same delivery: finished ones are skipped.
 *
 * Round trips (the worker's throughput is bound by them): the visible `delivering` claim (committed
 * alone), BEGIN and the locked read of the delivery with its flow version and record go out in one
 * write; the connection and credential are one read; the flow's writes (if any) ride with their
 * savepoint; the log row, the delivery's new state and any retry job ride with COMMIT.
 */
export async function deliverOnce(sql: Sql, deliveryId: string, options: DeliverOptions = {}): Promise<AttemptOutcome> {
  const send = options.send ?? createSender(sql, { logger: logger() });
  const now = options.now ?? (() => new Date());
  const outcome = await pipelinedTransaction(
    sql,
    async (tx) => {
      // Row lock: a second job for the same delivery waits here, then finds it settled.
      const [delivery] = await tx.sql<AttemptRow[]>`
        select d.*, v.id as version_id, r.data as record_data, r.record_id as record_found, r.status as record_status
        from deliveries d
          left join flow_versions v on v.flow_id = d.flow_id and v.version = d.flow_version
          left join records r on d.trigger <> 'schedule' and r.entity = d.entity and r.record_id = d.record_id
        where d.id = ${deliveryId} and d.status = 'delivering'
        for update of d`;
      await tx.before;
      if (!delivery) return { deliveryId, status: "skipped" as const };
      return attempt(sql, tx, delivery, send, now, options.random);
    },
    (tx, result) => ("settle" in result ? result.settle(tx.sql) : Promise.resolve()),
    {
      // Committed on its own: an attempt interrupted by a crash leaves the delivery visibly `delivering`.
      before: (reserved) => reserved`
        update deliveries set status = 'delivering', updated_at = now()
        where id = ${deliveryId} and status in ('pending', 'delivering') returning id`.execute(),
    },
  );
  if ("settle" in outcome) {
    const { settle: _settle, ...rest } = outcome;
    return rest;
  }
  return outcome;
}

/** The flow's plan: compiled once per version (the definition is read only when not cached). */
async function planOf(tx: Queryable, versionId: string | null): Promise<ExecutionPlan | undefined> {
  if (versionId === null) return undefined;
  const cached = peekPlan(versionId);
  if (cached) return cached;
  const [row] = await tx<{ definition: FlowFile }[]>`select definition from flow_versions where id = ${versionId}`;
  return row ? getPlan(versionId, row.definition) : undefined;
}

/** The flow's input: the record (data + recordId + status), or a scheduled run's records as an array. */
async function inputOf(tx: Queryable, delivery: AttemptRow): Promise<unknown> {
  if (delivery.trigger !== "schedule") {
    return delivery.record_found === null ? undefined : { ...delivery.record_data, recordId: delivery.record_found, status: delivery.record_status };
  }
  const load = async (recordId: string) => {
    const record = await getRecord(tx, delivery.entity, recordId);
    return record ? { ...record.data, recordId: record.recordId, status: record.status } : undefined;
  };
  const ids = delivery.event?.recordIds ?? [];
  return (await Promise.all(ids.map(load))).filter((r) => r !== undefined);
}

function engineEventOf(delivery: DeliveryRow): EngineEvent | undefined {
  const e = delivery.event;
  if (!e?.entity || !e.type) return undefined;
  const out: EngineEvent = { entity: e.entity, type: e.type, recordId: e.recordId ?? delivery.record_id };
  if (e.toStatus !== undefined) out.toStatus = e.toStatus;
  if (e.fromStatus !== undefined) out.fromStatus = e.fromStatus;
  return out;
}

/**
 * Record services whose writes start a savepoint first, lazily and in the same write as the first
 * of them: a flow that writes nothing (or only after its send) pays no extra round trip, and a
 * failed attempt still undoes exactly the flow's writes.
 */
function withLazySavepoint(tx: ReservedSql, services: EngineServices): { services: EngineServices; rollback(): Promise<void> } {
  const NAME = "flow_writes";
  let started: Promise<unknown> | undefined;
  const open = () => {
    if (!started) {
      started = tx.unsafe(`savepoint ${NAME}`).execute();
      started.catch(() => undefined); // the write queued behind it reports the failure
    }
  };
  const records = services.records!;
  const wrapped: RecordServices = { ...records };
  for (const method of ["insert", "upsert", "update"] as const) {
    const fn = records[method] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (fn) (wrapped as Record<string, unknown>)[method] = (...args: unknown[]) => (open(), fn.apply(records, args));
  }
  return {
    services: { ...services, records: wrapped },
    async rollback() {
      if (started) await tx.unsafe(`rollback to savepoint ${NAME}`);
    },
  };
}

type Settling = AttemptOutcome & { settle(tx: ReservedSql): Promise<unknown> };

async function attempt(
  sql: Sql,
  ptx: PipelinedTransaction,
  delivery: AttemptRow,
  sender: Sender,
  now: () => Date,
  random: (() => number) | undefined,
): Promise<Settling> {
  const startedAt = now();
  const started = process.hrtime.bigint();
  const attemptNo = delivery.attempts + 1;
  const executionId = randomUUID();
  const tx = ptx.sql;
  const plan = await planOf(tx, delivery.version_id);
  const flow = plan?.flow;
  const input = await inputOf(tx, delivery);
  let response: (OutgoingResponse & { url?: string }) | undefined;
  let result: ExecutionResult | undefined;
  let problem: { code: string; message: string } | undefined;

  if (!plan) problem = { code: "NOT_FOUND", message: `Flow ${delivery.flow_slug} version ${delivery.flow_version} no longer exists` };
  else if (input === undefined) problem = { code: "NOT_FOUND", message: `${delivery.entity} ${delivery.record_id} not found` };
  else {
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
    const flowWrites = withLazySavepoint(tx, postgresServices(ptx, { send, logger: logger() }));
    result = await execute(plan, input, { services: flowWrites.services, mode: "live", executionId: delivery.id, event: engineEventOf(delivery) });
    if (result.outcome !== "SUCCESS") await flowWrites.rollback();
  }
  const error = result?.error;
  const succeeded = result?.outcome === "SUCCESS";
  const retryAfter = error?.details?.retryAfter;
  const policy = flow ? retryPolicyOf(flow) : undefined;
  const decision =
    succeeded || !policy
      ? { retry: false as const }
      : decideRetry(policy, { retryable: error?.retryable === true, attemptsMade: attemptNo, maxAttempts: delivery.max_attempts, retryAfter }, now(), random);
  const failedQueue = flow?.options?.failedQueue ?? true;
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
  const logPayloads = flow?.options?.logPayloads ?? true;

  const entry: ExecutionEntry = {
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
    request: request ? await requestLog(sql, request, logPayloads, response?.url) : undefined,
    // No column holds the retry eligibility: it goes with the answer (alone when there was none).
    response: {
      ...(response ? { status: response.status, headers: redactHeaders(lowerCaseKeys(response.headers)), body: logPayloads ? response.body : undefined } : {}),
      retryable,
      nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
    },
    trace: logPayloads ? result?.trace : undefined,
    attempts: attemptNo,
    deliveryId: delivery.id,
  };
  const completedAt = status === "pending" ? null : now();
  const externalRef = referenceId !== null && delivery.trigger !== "schedule" ? referenceId : null;

  // Sent together with COMMIT (pipelinedTransaction's finish): the log row and the counter agree.
  const settle = (tx: ReservedSql) =>
    Promise.all([
      recordExecution(tx, entry),
      tx`
        with settled as (
          update deliveries set
            status = ${status}, attempts = ${attemptNo}, updated_at = now(),
            next_attempt_at = ${nextAttemptAt},
            last_error = ${errorMessage}, last_error_code = ${errorCode}, last_http_status = ${httpStatus},
            retryable = ${retryable},
            reference_id = coalesce(${referenceId}, reference_id),
            discard_reason = ${status === "discarded" ? "failed queue disabled" : null},
            completed_at = ${completedAt}
          where id = ${delivery.id}
          returning entity, record_id, flow_slug)
        -- The record's reference per flow (setExternalRef), unless the flow's own write already set it.
        update records r set external_refs = r.external_refs || jsonb_build_object(s.flow_slug, ${externalRef}::text), updated_at = now()
        from settled s
        where ${externalRef}::text is not null and r.entity = s.entity and r.record_id = s.record_id
          and r.external_refs ->> s.flow_slug is distinct from ${externalRef}::text`,
      decision.retry ? queueDeliveryJob(tx, delivery.id, decision.nextAttemptAt!) : undefined,
    ]);
  return { deliveryId: delivery.id, status, attempt: attemptNo, executionId, nextAttemptAt: decision.retry ? decision.nextAttemptAt : undefined, settle };
}

/** Header names as the redaction list spells them (a receiver may answer `Set-Cookie`). */
const lowerCaseKeys = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

/** The request as logged: where it went, its headers without secrets (credentials are added by the sender, never here), its body. */
async function requestLog(sql: Sql, request: OutgoingRequest, logPayloads: boolean, sentTo: string | undefined) {
  let url = sentTo;
  if (url === undefined) {
    // Nothing answered (network error, blocked address): say where it was meant to go.
    const [connection] = await sql<{ base_url: string }[]>`select base_url from connections where name = ${request.connection}`;
    try {
      url = connection ? joinUrl(connection.base_url, request.path) : undefined;
    } catch {
      url = undefined;
    }
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
