/**
 * One attempt of a delivery (the `deliver-outgoing` job): run the flow version the delivery
 * recorded on the record, send, and settle the delivery: succeeded, pending with the next attempt
 * queued, or failed (the Failed Queue). Each attempt writes one `executions` row in the same
 * transaction as the delivery's new state and attempt count, so the log and the counter agree.
 *
 * Crash safety: the delivery is marked `delivering` first (committed, claim-delivery.ts), then the
 * flow runs and sends outside any transaction, then the attempt settles in one. A worker that dies
 * mid-attempt leaves `delivering` with the counter unchanged; graphile-worker re-runs the job,
 * which sends again with the same Idempotency-Key (derived from the delivery id), so the external
 * system can recognise the repeat.
 */
import { keyFieldsOf } from "@/flows/key-fields";
import { randomUUID } from "node:crypto";
import type { PostgresError, Sql } from "postgres";
import type { FlowFile } from "@/flows/format";
import { retryOnConflict } from "@/server/db/conflicts";
import { deferredUnit, type DeferredUnit } from "@/server/db/unit-of-work";
import { getPlan, peekPlan, type ExecutionPlan } from "@/server/engine/compile";
import { execute, type ExecutionResult } from "@/server/engine/execute";
import type { EngineServices, OutgoingRequest, OutgoingResponse, RecordServices, StoreOptions } from "@/server/engine/services";
import type { EngineEvent } from "@/server/engine/types";
import { compactTrace } from "@/server/executions/compact-trace";
import type { ExecutionEntry } from "@/server/executions/record-execution";
import { redactHeaders } from "@/server/incoming/redact";
import { logger } from "@/server/log";
import { externalRefOf, recordServices } from "@/server/records/engine-services";
import { getRecord } from "@/server/records/store";
import type { Queryable } from "@/server/db/queryable";
import { withAttemptSlot } from "./attempt-slots";
import { env } from "@/server/env";
import { raiseAlert } from "./alerts";
import { circuitSettings, holdDelivery, markStillOpen, mustAskGate, passCircuit, recordAlive, recordFailure } from "./circuit";
import { claimDelivery, type ClaimedDelivery } from "./claim-delivery";
import { acquirePermit } from "./receiver-limits";
import { deliveryAhead, waitBehind, wakeFollowers } from "./record-order";
import { joinUrl } from "./connections";
import { queueDeliveryJob, retryPolicyFor, type DeliveryEvent } from "./dispatch";
import { decideRetry, parseRetryAfter } from "./retry-policy";
import { createSender } from "./send";
import { settleAttempts, settleWithOthers, type DeferredPatch, type Settlement } from "./settle-attempts";

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
  /**
   * "skipped": nothing to do (already final, or not found). "held": the connection's circuit holds
   * it; "waiting": an earlier delivery of its record goes first (record-order.ts). Neither spends an attempt.
   * "busy": another job's run is sending it now (claim-delivery.ts); this job checks again later.
   */
  status: DeliveryStatus | "skipped" | "held" | "waiting" | "busy";
  attempt?: number;
  executionId?: string;
  nextAttemptAt?: Date;
}

export interface DeliverOptions {
  send?: Sender;
  /** Only a delivery no attempt has settled yet (a job of first attempts: claimDelivery). */
  firstAttemptOnly?: boolean;
  /** The graphile-worker job running the attempt: a delivery another live job is sending is left to it. */
  jobId?: string;
  /** Run and send in an attempt slot (attempt-slots.ts): claimed before waiting for one, settled after it is free. */
  throughSlots?: boolean;
  now?: () => Date;
  random?: () => number;
}

/**
 * Runs one attempt of `deliveryId`. Safe to call again for the same delivery: finished ones are skipped.
 *
 * Round trips (each costs worker and PostgreSQL CPU: the worker's throughput is bound by them): the
 * claim with everything the attempt reads (one autocommitted statement); the connection and
 * credential only when they changed (connection-cache.ts); the flow's writes, if any, which begin
 * the transaction; the log row, the delivery's new state and any retry job, sent together, then COMMIT.
 * No transaction or connection is held while the external system answers (unless the flow writes
 * before it sends). Attempts that run side by side share their claim statement (claimDelivery) and,
 * unless their flow wrote, their settling transaction (settleWithOthers).
 */
export async function deliverOnce(sql: Sql, deliveryId: string, options: DeliverOptions = {}): Promise<AttemptOutcome> {
  const tx = deferredUnit(sql);
  try {
    const claim = await claimWithRetry(sql, deliveryId, options);
    if ("refused" in claim) return (await checkBackIfBusy(sql, deliveryId, claim.refused, options)) ?? { deliveryId, status: "skipped" };
    const { delivery } = claim;
    // Order per record (record-order.ts): an unfinished delivery of the same record goes first.
    if (delivery.order_key !== null && delivery.order_seq !== null) {
      const ahead = await deliveryAhead(sql, { id: delivery.id, flow_id: delivery.flow_id, order_key: delivery.order_key, order_seq: delivery.order_seq });
      if (ahead) return { deliveryId, status: "waiting", nextAttemptAt: await waitBehind(sql, delivery.id, ahead) };
    }
    // The connection's circuit (circuit.ts): asked only when the claim saw it other than closed.
    let probe = false;
    if (delivery.connection_name !== null && mustAskGate(delivery)) {
      const gate = await passCircuit(sql, delivery.connection_name);
      if (!gate.pass) return { deliveryId, status: "held", nextAttemptAt: await holdDelivery(sql, delivery.id, gate.until, options.random) };
      probe = gate.probe;
    }
    const send = options.send ?? createSender(sql, { logger: logger(), configStamp: delivery.config_stamp });
    // Run and send inside an attempt slot when asked. The claim comes before (a job's deliveries are
    // claimed together, one statement) and the settle after (a commit waiting for its WAL flush):
    // the slot limits calls to receivers, not database work.
    // The receiver's limits, kept with every other worker (receiver-limits.ts), before this
    // process's own slot: waiting for the receiver must not take a slot other receivers could use.
    const limited = delivery.connection_name !== null && (delivery.max_in_flight !== null || delivery.max_per_second !== null);
    const permit = limited
      ? await acquirePermit(sql, delivery.connection_name!, { maxInFlight: delivery.max_in_flight, maxPerSecond: delivery.max_per_second }, options.random)
      : undefined;
    let attempted: Settling;
    try {
      attempted = await (options.throughSlots ? withAttemptSlot : runAtOnce)(() =>
        attempt(sql, tx, delivery, send, options.now ?? (() => new Date()), options.random, probe),
      );
    } finally {
      await permit?.release();
    }
    const { settlement, circuit, ...outcome } = attempted;
    // The settle comes first: once the receiver has answered, the attempt is recorded before
    // anything else can fail the job (a failed job runs again, and its re-run would send again).
    // The flow's own writes are in `tx`: its settle must commit them. Otherwise it can join others'.
    if (tx.open) await tx.commit((t) => settleAttempts(t, [settlement]));
    else await settleWithOthers(sql, settlement);
    // What the receiver's answer says about the connection: counted only on a failure, or on the
    // first sign of life after failures (the claim saw them), so a healthy connection writes nothing.
    if (delivery.connection_name !== null && circuit !== undefined) {
      if (circuit.failed) await circuitFailed(sql, delivery.connection_name, circuit, probe);
      else if (mustAskGate(delivery) || (delivery.circuit_failures ?? 0) > 0) await recordAlive(sql, delivery.connection_name);
    }
    if (delivery.order_key !== null && (outcome.status === "succeeded" || outcome.status === "discarded")) {
      await retryOnConflict(() => wakeFollowers(sql, [delivery.id]));
    }
    if (outcome.status === "failed") {
      await raiseAlert(sql, {
        kind: "delivery.failed",
        connection: delivery.connection_name ?? delivery.flow_slug,
        message: `A delivery of ${delivery.flow_slug} reached the Failed Queue (${settlement.errorMessage ?? settlement.errorCode ?? "failed"})`,
        details: { deliveryId: delivery.id, flow: delivery.flow_slug, recordId: delivery.record_id, httpStatus: settlement.httpStatus },
      });
    }
    return outcome;
  } catch (error) {
    // Another run of the same delivery settled it while this one was sending (a job unlocked from a
    // worker thought dead, say): it keeps its log row and state, this run leaves no trace.
    if (isSuperseded(error)) return { deliveryId, status: "skipped" };
    throw error;
  } finally {
    await tx.release();
  }
}

const runAtOnce = <T>(fn: () => Promise<T>) => fn();

/**
 * The claim (claim-delivery.ts), asked again when it was refused though the delivery is still one
 * this run may take: another transaction changed the row while the claim's statement ran (a
 * circuit's release moving a held delivery, say), which the claim refuses rather than guess.
 * Refused: the delivery's status as last read (undefined: no such delivery).
 */
async function claimWithRetry(sql: Sql, deliveryId: string, options: DeliverOptions): Promise<{ delivery: ClaimedDelivery } | { refused: DeliveryStatus | undefined }> {
  const ask = { firstAttemptOnly: options.firstAttemptOnly, jobId: options.jobId ?? null };
  for (let tries = 1; ; tries++) {
    const delivery = await claimDelivery(sql, deliveryId, ask);
    if (delivery) return { delivery };
    const [row] = await sql<{ status: DeliveryStatus; attempts: number }[]>`select status, attempts from deliveries where id = ${deliveryId}`;
    const mayTake = row?.status === "pending" && !(options.firstAttemptOnly === true && row.attempts > 0);
    if (!mayTake || tries === 3) return { refused: row?.status };
  }
}

/** How long a job that found its delivery being sent by another job waits before looking again. */
export const BUSY_CHECK_BACK_MS = 30_000;

/**
 * The claim refused a delivery another job is sending (claim-delivery.ts). That run settles it; a
 * job looks again later all the same, in case that run's job cannot run again (graphile-worker
 * gives up on a job whose key was handed to a newer one) and its worker dies before settling.
 */
async function checkBackIfBusy(sql: Sql, deliveryId: string, status: DeliveryStatus | undefined, options: DeliverOptions): Promise<AttemptOutcome | undefined> {
  if (options.jobId === undefined || status !== "delivering") return undefined;
  const at = new Date((options.now ?? (() => new Date()))().getTime() + BUSY_CHECK_BACK_MS);
  await queueDeliveryJob(sql, deliveryId, at);
  return { deliveryId, status: "busy", nextAttemptAt: at };
}

/** Counts a retryable failure on the connection's circuit; alerts when it opens or stays open too long. */
async function circuitFailed(sql: Sql, connection: string, signal: CircuitSignal, probe: boolean): Promise<void> {
  const settings = circuitSettings();
  const change = await recordFailure(sql, connection, { retryAfterMs: signal.retryAfterMs }, settings);
  if (change?.to === "open") {
    await raiseAlert(sql, {
      kind: "circuit.opened",
      connection,
      message: `The circuit of ${connection} opened after ${settings.failures} failures in a row: its deliveries wait, one probe every ${settings.probeMs / 1000} s`,
      details: { state: "open", from: change.from },
    });
  } else if (probe) {
    const since = await markStillOpen(sql, connection, env().FLOWPORT_CIRCUIT_ALERT_AFTER_MS);
    if (since) {
      await raiseAlert(sql, {
        kind: "circuit.still_open",
        connection,
        message: `The circuit of ${connection} has been open since ${since.toISOString()}`,
        details: { state: "open", since: since.toISOString() },
      });
    }
  }
}

/**
 * The attempts of one job, each in an attempt slot (attempt-slots.ts). When a database
 * error hits some of them, the others still finish and the job fails afterwards: graphile-worker
 * runs it again later, and the re-run finds the settled deliveries done and sends only what is left
 * (a job of first attempts also leaves alone a delivery whose retry is already scheduled).
 */
export async function deliverAttempts(sql: Sql, deliveryIds: string[], options: DeliverOptions = {}): Promise<AttemptOutcome[]> {
  const results = await Promise.allSettled(deliveryIds.map((id) => deliverOnce(sql, id, { ...options, throughSlots: true })));
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as unknown);
  if (failed.length === 1) throw failed[0];
  if (failed.length > 1) throw new AggregateError(failed, `${failed.length} of ${deliveryIds.length} delivery attempts failed`);
  return results.map((r) => (r as PromiseFulfilledResult<AttemptOutcome>).value);
}

/** The settle statement's guard (below) refused: the attempt count moved since this run's claim. */
const isSuperseded = (error: unknown) =>
  (error as PostgresError | undefined)?.code === "23502" && (error as PostgresError).table_name === "deliveries" && (error as PostgresError).column_name === "attempts";

/** The flow's plan: compiled once per version (the definition is read only when not cached). */
async function planOf(tx: Queryable, versionId: string | null): Promise<ExecutionPlan | undefined> {
  if (versionId === null) return undefined;
  const cached = peekPlan(versionId);
  if (cached) return cached;
  const [row] = await tx<{ definition: FlowFile }[]>`select definition from flow_versions where id = ${versionId}`;
  return row ? getPlan(versionId, row.definition) : undefined;
}

/** The flow's input: the record (data + recordId + status), or a scheduled run's records as an array. */
async function inputOf(tx: Queryable, delivery: ClaimedDelivery): Promise<unknown> {
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

const WRITES = new Set<keyof RecordServices>(["insert", "upsert", "update"]);

/**
 * The engine's services for an attempt: reads go to the pool until the flow first writes; that
 * write begins the attempt's transaction, and from then on every
 * read and write runs in it, so the flow sees its own writes and a failed attempt undoes them all.
 * A record update while no transaction is open is deferred to the settle (DeferredPatch); a later
 * write or read in a transaction applies it first, so the flow never reads around it.
 */
function attemptServices(pool: Sql, tx: DeferredUnit, extra: Omit<EngineServices, "records" | "transaction">, deferred: DeferredPatch[]): EngineServices {
  const onPool = recordServices(pool);
  let inTx: RecordServices | undefined;
  const applyDeferred = async (target: RecordServices) => {
    for (const patch of deferred.splice(0)) {
      await target.update!(patch.entity, patch.recordId, patch.data, { dryRun: false, flowSlug: patch.flowSlug });
    }
  };
  const bound = async (method: keyof RecordServices): Promise<RecordServices> => {
    if (!tx.open && !WRITES.has(method) && deferred.length === 0) return onPool;
    inTx ??= recordServices((await tx.sql()) as unknown as Queryable);
    await applyDeferred(inTx);
    return inTx;
  };
  const records = {} as Record<keyof RecordServices, unknown>;
  for (const method of Object.keys(onPool) as (keyof RecordServices)[]) {
    records[method] = async (...args: unknown[]) => {
      if (method === "update" && !tx.open) return defer(deferred, ...(args as Parameters<NonNullable<RecordServices["update"]>>));
      const target = await bound(method);
      return (target[method] as (...a: unknown[]) => Promise<unknown>).apply(target, args);
    };
  }
  const services: EngineServices = { ...extra, records: records as RecordServices };
  services.transaction = async (fn) => {
    if (inTx) await applyDeferred(inTx);
    return tx.savepoint(() => fn(services));
  };
  return services;
}

function defer(deferred: DeferredPatch[], entity: string, recordId: string, data: Record<string, unknown>, options: StoreOptions): void {
  if (options.dryRun) return;
  const ref = externalRefOf(data, options);
  const last = deferred.at(-1);
  if (last && last.entity === entity && last.recordId === recordId) {
    Object.assign(last.data, data);
    if (ref) Object.assign(last, ref);
  } else {
    deferred.push({ entity, recordId, data: { ...data }, ...ref });
  }
}

/** What the attempt's answer says about the connection's health (undefined: nothing was sent). */
interface CircuitSignal {
  failed: boolean;
  /** A 429's Retry-After: the connection pauses this long. */
  retryAfterMs?: number;
}

type Settling = AttemptOutcome & { settlement: Settlement; circuit?: CircuitSignal };

async function attempt(
  sql: Sql,
  tx: DeferredUnit,
  delivery: ClaimedDelivery,
  sender: Sender,
  now: () => Date,
  random: (() => number) | undefined,
  probe = false,
): Promise<Settling> {
  const startedAt = now();
  const started = process.hrtime.bigint();
  const attemptNo = delivery.attempts + 1;
  const executionId = randomUUID();
  const plan = await planOf(sql, delivery.version_id);
  const flow = plan?.flow;
  const input = await inputOf(sql, delivery);
  let response: (OutgoingResponse & { url?: string }) | undefined;
  let result: ExecutionResult | undefined;
  let problem: { code: string; message: string } | undefined;
  const deferred: DeferredPatch[] = [];

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
    const services = attemptServices(sql, tx, { send, logger: logger() }, deferred);
    result = await execute(plan, input, { services, mode: "live", executionId: delivery.id, event: engineEventOf(delivery) });
    if (result.outcome !== "SUCCESS") {
      await tx.rollback();
      deferred.length = 0;
    }
  }
  const error = result?.error;
  const succeeded = result?.outcome === "SUCCESS";
  const retryAfter = error?.details?.retryAfter;
  // The flow's explicit policy, else the connection's schedule, else the default (dispatch.ts).
  const policy = flow ? retryPolicyFor(flow, { scheduleMs: delivery.retry_schedule_ms, maxAttempts: delivery.retry_max_attempts }) : undefined;
  // Sent (or tried to): the answer, or its absence, tells the circuit about the receiver.
  const sent = (result?.requests.length ?? 0) > 0 && (response !== undefined || error?.code === "EXTERNAL_ERROR");
  const circuitFailed = !succeeded && error?.code === "EXTERNAL_ERROR" && error.retryable === true;
  const circuit: CircuitSignal | undefined = !sent
    ? undefined
    : { failed: circuitFailed, retryAfterMs: circuitFailed && response?.status === 429 ? parseRetryAfter(retryAfter, now()) : undefined };
  // A failed probe spends no attempt: the circuit holds the delivery until the next probe.
  const probeFailed = probe && circuitFailed;
  const decision =
    succeeded || !policy
      ? { retry: false as const }
      : probeFailed
        ? { retry: true as const, nextAttemptAt: new Date(now().getTime() + circuitSettings().probeMs + Math.round((random ?? Math.random)() * 1000)) }
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
      ...(probe ? { circuitProbe: true } : {}),
    },
    // Compact (compact-trace.ts): each payload once, node names left to the flow version; readers expand it.
    trace: logPayloads && result ? compactTrace(result.trace, { withoutNodeNames: true }) : undefined,
    attempts: attemptNo,
    deliveryId: delivery.id,
    redactFields: flow?.options?.redactFields,
    keyFields: flow ? keyFieldsOf(flow) : undefined,
  };
  const completedAt = status === "pending" ? null : now();
  const externalRef = referenceId !== null && delivery.trigger !== "schedule" ? referenceId : null;
  // The flow's deferred patch of the delivery's own record joins the settle's update of that record.
  const ownPatch: Record<string, unknown> = {};
  const otherPatches = deferred.filter((p) => {
    if (p.entity !== delivery.entity || p.recordId !== delivery.record_id || delivery.trigger === "schedule") return true;
    Object.assign(ownPatch, p.data);
    return false;
  });
  const settlement: Settlement = {
    entry,
    deliveryId: delivery.id,
    claimedAttempts: delivery.attempts,
    attempt: probeFailed ? delivery.attempts : attemptNo,
    status,
    nextAttemptAt,
    errorMessage,
    errorCode,
    httpStatus,
    retryable,
    referenceId,
    discardReason: status === "discarded" ? "failed queue disabled" : null,
    completedAt,
    held: probeFailed,
    recordPatch: ownPatch,
    externalRef,
    otherPatches,
  };
  return { deliveryId: delivery.id, status, attempt: attemptNo, executionId, nextAttemptAt: nextAttemptAt ?? undefined, settlement, circuit };
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
