/**
 * Outgoing fan-out: which published outgoing flows a trigger starts, and the `deliveries` rows
 * (one per flow and record, or per scheduled run) with their `deliver-outgoing` jobs. A delivery
 * and its job are always written in the same transaction (graphile-worker's add_job in SQL), so
 * a delivery never exists without the job that will send it, nor a job without its delivery.
 */
import { createHash, randomUUID } from "node:crypto";
import type { FlowFile } from "@/flows/format";
import { firstWith, triggerNode } from "@/flows/nodes/registry";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "@/flows/nodes/send/definition";
import type { TriggerEventConfig } from "@/flows/nodes/trigger.event/definition";
import type { EngineEvent } from "@/server/engine/types";
import type { RecordEvent } from "@/server/records/events";
import type { Queryable } from "@/server/db/queryable";
import { orderKeysOf } from "./order-keys";

export const DELIVER_TASK = "deliver-outgoing";
/**
 * Graphile's own retries only cover a worker that died or a database error mid-attempt (the task
 * itself completes normally after a failed send: we schedule our own retries). Re-running is safe:
 * the delivery's state says whether anything is left to do, and the Idempotency-Key is stable.
 */
export const DELIVER_JOB_MAX_ATTEMPTS = 10;

/**
 * First attempts travel in jobs of this many deliveries: graphile-worker's own cost (a job row
 * written, fetched and deleted) was a tenth of PostgreSQL's work per delivery. The attempts still
 * run one by one in the worker, at most ATTEMPTS_IN_FLIGHT at once (attempt-slots.ts).
 */
export const FIRST_ATTEMPTS_PER_JOB = 50;

export { DEFAULT_RETRY_POLICY };

export type DeliveryTrigger = "event" | "manual" | "schedule" | "retry";

/** What deliveries.event holds: the engine event for the run, plus the scheduled run's record ids. */
export interface DeliveryEvent extends Partial<EngineEvent> {
  at?: string;
  /** Schedule deliveries: every record the run sends (one execution, one request). */
  recordIds?: string[];
}

export interface OutgoingFlow {
  flowId: string;
  versionId: string;
  version: number;
  slug: string;
  definition: FlowFile;
}

export interface NewDelivery {
  flow: OutgoingFlow;
  entity: string;
  recordId: string;
  trigger: DeliveryTrigger;
  event: DeliveryEvent;
  /** Unique per delivery; deterministic where a re-run must not create a second one. */
  idempotencyKey: string;
}

/** The trigger node of a flow (every valid flow has exactly one, of a trigger.* type). */
export function triggerOf(flow: FlowFile): FlowFile["nodes"][number] | undefined {
  return triggerNode(flow);
}

// Asked on every attempt and for every new delivery: parsed once per flow definition object (a
// compiled plan keeps its flow, so a published version is parsed once per process).
const retryPolicies = new WeakMap<FlowFile, RetryPolicy>();

/** The retry policy of the flow's (first) delivering node, defaults filled in. */
export function retryPolicyOf(flow: FlowFile): RetryPolicy {
  let policy = retryPolicies.get(flow);
  if (!policy) {
    policy = firstWith(flow.nodes, "delivery")?.value ?? DEFAULT_RETRY_POLICY;
    retryPolicies.set(flow, policy);
  }
  return policy;
}

/** A connection's own retry settings (connections.ts); null fields: the default. */
export interface ConnectionRetry {
  scheduleMs: number[] | null;
  maxAttempts: number | null;
}

const DELAY_FIELDS = ["backoff", "scheduleMs", "initialDelayMs", "maxDelayMs"];

// The retry fields the flow's send node sets itself (its raw config, before defaults are filled in).
const explicitFields = new WeakMap<FlowFile, Set<string>>();
function explicitRetryFields(flow: FlowFile): Set<string> {
  let fields = explicitFields.get(flow);
  if (!fields) {
    const retry = (firstWith(flow.nodes, "delivery")?.node.config as { retry?: unknown } | undefined)?.retry;
    fields = new Set(retry !== null && typeof retry === "object" ? Object.keys(retry) : []);
    explicitFields.set(flow, fields);
  }
  return fields;
}

/**
 * The policy a delivery of `flow` through a connection follows, field by field: what the flow's
 * send node sets itself, else the connection's schedule and attempts, else the default schedule
 * (8 attempts over about 27 h). A flow's explicit delays of any kind (backoff, scheduleMs,
 * initialDelayMs, maxDelayMs) keep the connection's schedule out, so an older explicit policy is
 * honoured as it is.
 */
export function retryPolicyFor(flow: FlowFile, connection: ConnectionRetry | null | undefined): RetryPolicy {
  const policy = retryPolicyOf(flow);
  if (!connection || (connection.scheduleMs === null && connection.maxAttempts === null)) return policy;
  const explicit = explicitRetryFields(flow);
  const delaysExplicit = DELAY_FIELDS.some((f) => explicit.has(f));
  return {
    ...policy,
    maxAttempts: explicit.has("maxAttempts") ? policy.maxAttempts : (connection.maxAttempts ?? policy.maxAttempts),
    ...(delaysExplicit || connection.scheduleMs === null ? {} : { backoff: "schedule" as const, scheduleMs: connection.scheduleMs }),
  };
}

/** The flow's own attempt count, null when it leaves it to the connection (or the default). */
export function explicitMaxAttemptsOf(flow: FlowFile): number | null {
  return explicitRetryFields(flow).has("maxAttempts") ? retryPolicyOf(flow).maxAttempts : null;
}

/** The connection of the flow's (first) send node: its circuit and limits apply to the flow's deliveries. */
export function connectionOf(flow: FlowFile): string | null {
  const send = firstWith(flow.nodes, "delivery")?.node;
  const name = (send?.config as { connection?: unknown } | undefined)?.connection;
  return typeof name === "string" ? name : null;
}

/** A UUID-shaped digest of `parts`: the same parts always give the same key. */
export function deterministicKey(...parts: string[]): string {
  const h = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Published, active outgoing flows started by `triggerType`. */
export async function listOutgoingFlows(sql: Queryable, triggerType: string): Promise<OutgoingFlow[]> {
  // The jsonb containment narrows the scan; the caller checks the trigger's config exactly.
  const rows = await sql<{ flow_id: string; version_id: string; version: number; slug: string; definition: FlowFile }[]>`
    select f.id as flow_id, v.id as version_id, v.version, f.slug, v.definition
    from flows f join flow_versions v on v.flow_id = f.id and v.version = f.published_version
    where f.direction = 'outgoing' and f.active
      and v.definition::jsonb @> ${sql.json({ nodes: [{ type: triggerType }] })}
    order by f.slug`;
  return rows.map((r) => ({ flowId: r.flow_id, versionId: r.version_id, version: r.version, slug: r.slug, definition: r.definition }));
}

/** Whether an event trigger's config starts on this record event (the same test the trigger node makes). */
export function eventMatches(config: TriggerEventConfig, event: RecordEvent): boolean {
  if (config.entity !== event.entity || config.event !== event.event) return false;
  if (config.event === "status_changed" && config.toStatus !== event.status) return false;
  if (config.fromStatus !== undefined && config.fromStatus !== event.from) return false;
  return true;
}

/** The engine event a delivery runs with, so the trigger node sees what started it. */
export function engineEventOf(event: RecordEvent): EngineEvent {
  const out: EngineEvent = { entity: event.entity, type: event.event, recordId: event.recordId };
  if (event.status !== null) out.toStatus = event.status;
  if (event.from !== undefined) out.fromStatus = event.from;
  return out;
}

/** Queues (or re-queues: one job per delivery, by job key) the next attempt of a delivery. */
export async function queueDeliveryJob(sql: Queryable, deliveryId: string, runAt: Date | null = null): Promise<void> {
  await sql`
    select graphile_worker.add_job(${DELIVER_TASK}, json_build_object('deliveryId', ${deliveryId}::text),
      run_at => ${runAt}::timestamptz, max_attempts => ${DELIVER_JOB_MAX_ATTEMPTS}::int, job_key => ${`delivery:${deliveryId}`}::text)`;
}

/**
 * Inserts the deliveries and queues their jobs, on `sql` (the caller's transaction), in one
 * statement whatever the number (the event pump fans out 500 events at a time). A delivery whose
 * idempotency key exists already is skipped: returns the ids of the new ones only, in input order.
 */
export async function createDeliveries(sql: Queryable, items: NewDelivery[]): Promise<string[]> {
  if (items.length === 0) return [];
  // Order per record: the record, or the flow's order key expression (order-keys.ts); scheduled runs are not ordered.
  const orderKeys = await orderKeysOf(sql, items);
  const rows = items.map((item, i) => ({
    flow_id: item.flow.flowId,
    flow_slug: item.flow.slug,
    flow_version: item.flow.version,
    entity: item.entity,
    record_id: item.recordId,
    trigger: item.trigger,
    event: item.event,
    idempotency_key: item.idempotencyKey,
    // null: the connection's count, else the default (resolved in the insert below).
    max_attempts: explicitMaxAttemptsOf(item.flow.definition),
    connection_name: connectionOf(item.flow.definition),
    order_key: orderKeys[i] ?? null,
  }));
  const inserted = await sql<{ id: string; idempotency_key: string }[]>`
    with line as (
      -- Ordered deliveries' places in line: one number per statement, then their input order.
      select case when ${rows.some((r) => r.order_key !== null)}::boolean then nextval('deliveries_order_seq') * 1000000 end as base
    ), inserted as (
      insert into deliveries (flow_id, flow_slug, flow_version, entity, record_id, trigger, event, idempotency_key, max_attempts,
                              connection_name, order_key, order_seq)
      select flow_id, flow_slug, flow_version, entity, record_id, trigger, event, idempotency_key,
        coalesce(max_attempts, (select c.retry_max_attempts from connections c where c.name = connection_name), ${DEFAULT_RETRY_POLICY.maxAttempts}::int),
        connection_name, order_key, case when order_key is not null then line.base + n end
      from line, rows from (jsonb_to_recordset(${sql.json(rows as never)}::jsonb) as (flow_id uuid, flow_slug text, flow_version integer, entity text,
           record_id text, trigger text, event jsonb, idempotency_key text, max_attempts integer, connection_name text, order_key text))
        with ordinality as t(flow_id, flow_slug, flow_version, entity, record_id, trigger, event, idempotency_key, max_attempts,
           connection_name, order_key, n)
      on conflict (idempotency_key) do nothing
      returning id, idempotency_key
    ), jobs as (
      -- First attempts in jobs of up to FIRST_ATTEMPTS_PER_JOB deliveries (a retry is queued on its own,
      -- by queueDeliveryJob). (Not called at all when every delivery existed already.)
      select (select count(*) from graphile_worker.add_jobs(array(
        select row(${DELIVER_TASK}::text, json_build_object('deliveryIds', ids), null, null, ${DELIVER_JOB_MAX_ATTEMPTS}::int, null, null, null)::graphile_worker.job_spec
        from (select array_agg(id::text) as ids from (select id, row_number() over () - 1 as n from inserted) numbered
              group by n / ${FIRST_ATTEMPTS_PER_JOB}::int) chunks))) as queued
      where exists (select 1 from inserted)
    )
    select inserted.id, inserted.idempotency_key from inserted, jobs`;
  const idByKey = new Map(inserted.map((r) => [r.idempotency_key, r.id]));
  return items.map((item) => idByKey.get(item.idempotencyKey)).filter((id): id is string => id !== undefined);
}

export type RecordEventPayload = RecordEvent & { at?: string };

/** The deliveries one record event makes: one per published event flow it matches, keyed by `eventKey`. */
export function deliveriesForEvent(flows: OutgoingFlow[], event: RecordEventPayload, eventKey: string[]): NewDelivery[] {
  return flows
    .filter((flow) => {
      const config = triggerOf(flow.definition)?.config as TriggerEventConfig | undefined;
      return config !== undefined && eventMatches(config, event);
    })
    .map((flow) => ({
      flow,
      entity: event.entity,
      recordId: event.recordId,
      trigger: "event" as const,
      event: { ...engineEventOf(event), at: event.at },
      idempotencyKey: deterministicKey(flow.flowId, ...eventKey),
    }));
}

/** A fresh key, for deliveries that are new by definition (manual sends, scheduled runs). */
export const newDeliveryKey = (): string => randomUUID();
