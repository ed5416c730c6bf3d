/**
 * Scheduled outgoing flows (trigger.schedule: cron + time zone + selection).
 *
 * How they run: one graphile crontab item, `* * * * * run-schedule ?fill=1h` (runner.ts), ticks
 * every minute; each tick re-reads the published schedule flows and starts those whose cron
 * matches that minute in their own time zone (graphile's cron is UTC-only, so the match is done
 * here on the local time). Re-reading every minute means a newly published, changed or
 * deactivated schedule takes effect within a minute, without restarting the worker.
 *
 * Missed runs: graphile records each tick, so a minute is ticked exactly once across all workers;
 * `fill=1h` backfills the ticks of the last hour after downtime, so a run missed by a worker
 * restarting (or down for less than an hour) still happens, late. Runs missed by longer outages
 * are skipped, not replayed one by one: the next run picks up everything still undelivered anyway,
 * because selection only takes records without a delivery of this flow.
 *
 * One run = one delivery carrying every selected record (the flow gets them as an array and
 * typically sends one bulk request); it retries and fails as a whole.
 */
import { parseCronItem, type TimestampDigest } from "graphile-worker";
import type { Sql } from "postgres";
import type { TriggerScheduleConfig } from "@/flows/nodes/trigger.schedule/definition";
import { FlowError } from "@/server/engine/errors";
import { compileExpression } from "@/server/engine/jsonata";
import { getPublishedFlow } from "@/server/flows/repository";
import { logger } from "@/server/log";
import type { Queryable } from "@/server/db/queryable";
import { createDeliveries, deterministicKey, listOutgoingFlows, triggerOf, type OutgoingFlow } from "./dispatch";

export const RUN_SCHEDULE_TASK = "run-schedule";
/** The crontab line runner.ts adds: the per-minute tick, backfilling one hour of missed ticks. */
export const SCHEDULE_CRONTAB = `* * * * * ${RUN_SCHEDULE_TASK} ?fill=1h&max=3`;

const matchers = new Map<string, (digest: TimestampDigest) => boolean>();

/** The minute, hour, date, month and weekday of `at` on the wall clock of `timeZone`. */
export function localDigest(at: Date, timeZone: string): TimestampDigest {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    minute: "numeric",
    hour: "numeric",
    day: "numeric",
    month: "numeric",
    weekday: "short",
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const dow = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(part("weekday"));
  return { min: Number(part("minute")), hour: Number(part("hour")), date: Number(part("day")), month: Number(part("month")), dow };
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/**
 * The flow file's cron dialect (flows/nodes/trigger.schedule/cron.ts) allows month and day names
 * and 7 for Sunday; graphile's parser takes numbers 0-6 only. Same schedule, graphile's spelling.
 */
export function toGraphileCron(cron: string): string {
  const fields = cron.trim().split(/\s+/);
  const named = (field: string, names: string[], offset: number) =>
    field.replace(/[A-Za-z]{3}/g, (name) => String(names.indexOf(name.toUpperCase()) + offset));
  if (fields[3] !== undefined) fields[3] = named(fields[3], MONTHS, 1);
  if (fields[4] !== undefined) {
    fields[4] = named(fields[4], DAYS, 0)
      .split(",")
      .map((item) => (item === "7" ? "0" : item.replace(/^(\d)-7$/, (_, from: string) => (from === "0" ? "*" : `${from}-6,0`))))
      .join(",");
  }
  return fields.join(" ");
}

/** Whether a five-field cron matches the minute of `at` in `timeZone` (graphile's own cron parser). */
export function cronMatches(cron: string, timeZone: string, at: Date): boolean {
  let match = matchers.get(cron);
  if (!match) {
    match = parseCronItem({ task: RUN_SCHEDULE_TASK, match: toGraphileCron(cron), identifier: cron }).match;
    matchers.set(cron, match);
  }
  return match(localDigest(at, timeZone));
}

function scheduleConfig(flow: OutgoingFlow): TriggerScheduleConfig | undefined {
  const trigger = triggerOf(flow.definition);
  return trigger?.type === "trigger.schedule" ? (trigger.config as TriggerScheduleConfig) : undefined;
}

/** Published, active schedule flows due in the minute of `at`. */
export async function dueSchedules(sql: Queryable, at: Date): Promise<string[]> {
  const flows = await listOutgoingFlows(sql, "trigger.schedule");
  return flows
    .filter((flow) => {
      const config = scheduleConfig(flow);
      try {
        return config !== undefined && cronMatches(config.cron, config.timezone ?? "Asia/Kolkata", at);
      } catch (error) {
        // One unreadable schedule must not stop the others.
        logger().warn({ err: error, flow: flow.slug, cron: config?.cron }, "schedule skipped: its cron could not be read");
        return false;
      }
    })
    .map((flow) => flow.slug);
}

interface Candidate {
  recordId: string;
  status: string | null;
  [field: string]: unknown;
}

/**
 * The records a run sends: the entity's records matching the filter that have no delivery of this
 * flow that succeeded or is still in progress (so a slow retry is not sent twice), narrowed by the
 * selection expression. The selection must keep `recordId` on what it returns: that is how a
 * record is later known to be delivered.
 */
export async function selectScheduledRecords(sql: Queryable, flow: OutgoingFlow, config: TriggerScheduleConfig): Promise<Candidate[]> {
  if (!config.entity) {
    throw new FlowError("WORKFLOW_RULE", { message: `Schedule flow "${flow.slug}" needs an entity to select records from` });
  }
  const rows = await sql<{ record_id: string; status: string | null; data: Record<string, unknown> }[]>`
    select r.record_id, r.status, r.data from records r
    where r.entity = ${config.entity}
      ${config.filter && Object.keys(config.filter).length > 0 ? sql`and r.data @> ${sql.json(config.filter as never)}` : sql``}
      -- Two tests, each on its own index: a delivery of this record (deliveries_record_idx), and a
      -- scheduled run that sent it among others (only schedule deliveries list recordIds:
      -- deliveries_schedule_runs_idx).
      and not exists (
        select 1 from deliveries d
        where d.entity = r.entity and d.record_id = r.record_id and d.flow_slug = ${flow.slug}
          and d.status in ('succeeded', 'pending', 'delivering'))
      and not exists (
        select 1 from deliveries d
        where d.trigger = 'schedule' and d.flow_slug = ${flow.slug} and d.entity = r.entity
          and d.status in ('succeeded', 'pending', 'delivering')
          and jsonb_exists(coalesce(d.event -> 'recordIds', '[]'::jsonb), r.record_id))
    order by r.created_at, r.id
    limit ${config.limit ?? 1000}`;
  const candidates: Candidate[] = rows.map((r) => ({ ...r.data, recordId: r.record_id, status: r.status }));
  if (!config.selection) return candidates;
  const selected = await compileExpression(config.selection).evaluate(candidates, {});
  const list = selected === undefined || selected === null ? [] : Array.isArray(selected) ? selected : [selected];
  return list.filter((item): item is Candidate => typeof item === "object" && item !== null && typeof (item as Candidate).recordId === "string");
}

/**
 * One scheduled run of `flowSlug` (for the minute `at`): selects the records and creates one
 * delivery for them. Keyed by flow and minute, so re-running the same job creates nothing new.
 * Returns the delivery id, or undefined when nothing was selected or it already exists.
 */
export async function runSchedule(sql: Sql, flowSlug: string, at: Date = new Date()): Promise<{ deliveryId?: string; recordIds: string[] }> {
  const published = await getPublishedFlow(sql, flowSlug);
  if (!published || !published.active) return { recordIds: [] };
  const flow: OutgoingFlow = { flowId: published.flowId, versionId: published.versionId, version: published.version, slug: flowSlug, definition: published.definition };
  const config = scheduleConfig(flow);
  if (!config) return { recordIds: [] };
  const minute = new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString();
  return sql.begin(async (tx) => {
    // One run of a flow at a time: two overlapping runs would otherwise select the same records.
    await tx`select pg_advisory_xact_lock(hashtext(${`schedule:${flowSlug}`}))`;
    const records = await selectScheduledRecords(tx, flow, config);
    if (records.length === 0) return { recordIds: [] };
    const recordIds = records.map((r) => r.recordId);
    const [deliveryId] = await createDeliveries(tx, [
      {
        flow,
        entity: config.entity!,
        recordId: `schedule:${minute}`,
        trigger: "schedule",
        event: { entity: config.entity, at: minute, recordIds },
        idempotencyKey: deterministicKey(flow.flowId, "schedule", minute),
      },
    ]);
    return { deliveryId, recordIds };
  });
}
