/**
 * "Send to API" (the seed's §4.5 manual push): the chosen records of an entity go to one outgoing
 * flow, one delivery each, through the same job, retries and Failed Queue as events. Manual flows
 * (trigger.manual) are the natural target; an event flow may be pushed by hand too (re-sending an
 * approved invoice), in which case the run carries the event its trigger expects.
 */
import type { Sql } from "postgres";
import type { FlowFile } from "@/flows/format";
import type { TriggerEventConfig } from "@/flows/nodes/trigger.event/definition";
import type { TriggerManualConfig } from "@/flows/nodes/trigger.manual/definition";
import { FlowError } from "@/server/engine/errors";
import { getPublishedFlow } from "@/server/flows/repository";
import { requireEntity } from "@/server/records/store";
import { inTransaction, type Queryable } from "@/server/db/queryable";
import { createDeliveries, listOutgoingFlows, newDeliveryKey, triggerOf, type DeliveryEvent, type OutgoingFlow } from "./dispatch";
import type { DeliveryStatus } from "./deliver";

export interface SendRecordsInput {
  entity: string;
  recordIds: string[];
  flowSlug: string;
}

export const MAX_MANUAL_SELECTION = 1000;

/** The event a hand-started run of this flow carries for one record; undefined when the flow cannot send `entity` by hand. */
function manualEventOf(definition: FlowFile, entity: string): ((recordId: string) => DeliveryEvent) | undefined {
  const trigger = triggerOf(definition);
  if (trigger?.type === "trigger.manual" && (trigger.config as TriggerManualConfig).entity === entity) {
    return (recordId) => ({ entity, type: "updated", recordId });
  }
  if (trigger?.type === "trigger.event" && (trigger.config as TriggerEventConfig).entity === entity) {
    const c = trigger.config as TriggerEventConfig;
    return (recordId) => ({ entity, type: c.event, recordId, toStatus: c.toStatus, fromStatus: c.fromStatus });
  }
  return undefined;
}

/** The flow a manual send may use: published, active, outgoing, started by hand or by an event on this entity. */
async function manualFlow(sql: Queryable, slug: string, entity: string): Promise<{ flow: OutgoingFlow; event: (recordId: string) => DeliveryEvent }> {
  const published = await getPublishedFlow(sql, slug);
  if (!published || published.definition.direction !== "outgoing") {
    throw new FlowError("NOT_FOUND", { message: `No published outgoing flow "${slug}"`, details: { slug } });
  }
  if (!published.active) throw new FlowError("WORKFLOW_RULE", { message: `Flow "${slug}" is inactive` });
  const flow: OutgoingFlow = { flowId: published.flowId, versionId: published.versionId, version: published.version, slug, definition: published.definition };
  const event = manualEventOf(published.definition, entity);
  if (event) return { flow, event };
  const trigger = triggerOf(published.definition);
  throw new FlowError("WORKFLOW_RULE", { message: `Flow "${slug}" cannot send ${entity} records by hand`, details: { slug, entity, trigger: trigger?.type } });
}

export interface SendTarget {
  slug: string;
  name: string;
  version: number;
  /** What starts the flow on its own: "manual" (only by hand) or "event" (an ERP event; by hand re-sends). */
  trigger: "manual" | "event";
}

/** The flows "Send to API" offers for an entity: exactly those sendRecords accepts. */
export async function listSendTargets(sql: Queryable, entityName: string): Promise<SendTarget[]> {
  const entity = requireEntity(entityName).name;
  const flows = [...(await listOutgoingFlows(sql, "trigger.manual")), ...(await listOutgoingFlows(sql, "trigger.event"))];
  return flows
    .filter((f) => manualEventOf(f.definition, entity) !== undefined)
    .map((f) => ({ slug: f.slug, name: f.definition.name, version: f.version, trigger: triggerOf(f.definition)!.type === "trigger.manual" ? ("manual" as const) : ("event" as const) }))
    .sort((a, b) => (a.trigger === b.trigger ? a.slug.localeCompare(b.slug) : a.trigger === "manual" ? -1 : 1));
}

/** Creates one delivery (and its job) per record, in one transaction; unknown record ids are refused. */
export async function sendRecords(sql: Queryable, input: SendRecordsInput): Promise<string[]> {
  const entity = requireEntity(input.entity).name;
  const recordIds = [...new Set(input.recordIds)];
  if (recordIds.length === 0) throw new FlowError("VALIDATION_FAILED", { message: "Choose at least one record" });
  if (recordIds.length > MAX_MANUAL_SELECTION) throw new FlowError("VALIDATION_FAILED", { message: `Send at most ${MAX_MANUAL_SELECTION} records at once` });
  const { flow, event } = await manualFlow(sql, input.flowSlug, entity);
  return inTransaction(sql, async (tx) => {
    const found = await tx<{ record_id: string }[]>`select record_id from records where entity = ${entity} and record_id = any(${recordIds})`;
    const known = new Set(found.map((r) => r.record_id));
    const missing = recordIds.filter((id) => !known.has(id));
    if (missing.length > 0) throw new FlowError("NOT_FOUND", { message: `${entity} not found: ${missing.join(", ")}`, details: { missing } });
    return createDeliveries(
      tx,
      recordIds.map((recordId) => ({ flow, entity, recordId, trigger: "manual" as const, event: event(recordId), idempotencyKey: newDeliveryKey() })),
    );
  });
}

export interface DeliverySummary {
  id: string;
  flowSlug: string;
  entity: string;
  recordId: string;
  status: DeliveryStatus;
  attempts: number;
  referenceId: string | null;
  lastError: string | null;
  lastHttpStatus: number | null;
  nextAttemptAt: Date | null;
}

export async function getDeliveries(sql: Sql, ids: string[]): Promise<DeliverySummary[]> {
  const rows = await sql<
    { id: string; flow_slug: string; entity: string; record_id: string; status: DeliveryStatus; attempts: number; reference_id: string | null; last_error: string | null; last_http_status: number | null; next_attempt_at: Date | null }[]
  >`select * from deliveries where id = any(${ids}::uuid[]) order by created_at, id`;
  return rows.map((r) => ({
    id: r.id,
    flowSlug: r.flow_slug,
    entity: r.entity,
    recordId: r.record_id,
    status: r.status,
    attempts: r.attempts,
    referenceId: r.reference_id,
    lastError: r.last_error,
    lastHttpStatus: r.last_http_status,
    nextAttemptAt: r.next_attempt_at,
  }));
}

export const isFinal = (status: DeliveryStatus) => status === "succeeded" || status === "failed" || status === "discarded";

/**
 * Polls until every delivery is final (succeeded, failed, discarded) or the time is up; returns
 * their latest state either way (`done` says which). A worker must be running to make progress.
 */
export async function waitForDeliveries(sql: Sql, ids: string[], timeoutMs = 30_000, pollMs = 250): Promise<{ done: boolean; deliveries: DeliverySummary[] }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const deliveries = await getDeliveries(sql, ids);
    const done = deliveries.every((d) => isFinal(d.status));
    if (done || Date.now() >= deadline) return { done, deliveries };
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(deadline - Date.now(), 0))));
  }
}
