/**
 * `run-schedule`, two shapes:
 * - the per-minute cron tick (payload `_cron.ts`, from runner.ts's crontab): queues one
 *   `run-schedule {flowSlug, at}` job per schedule flow due that minute in its time zone;
 * - `{flowSlug, at?}`: one scheduled run of that flow (server/outgoing/schedules.ts).
 * Separate jobs per flow so one flow's failure never holds back the others' runs.
 */
import type { Task } from "graphile-worker";
import { getSql } from "../../db/client";
import { logger } from "../../log";
import { dueSchedules, runSchedule, RUN_SCHEDULE_TASK } from "../../outgoing/schedules";

interface RunSchedulePayload {
  flowSlug?: string;
  at?: string;
  _cron?: { ts: string; backfilled?: boolean };
}

export const runScheduleTask: Task = async (payload, helpers) => {
  const p = (payload ?? {}) as RunSchedulePayload;
  const sql = await getSql();
  if (typeof p.flowSlug === "string") {
    const result = await runSchedule(sql, p.flowSlug, p.at ? new Date(p.at) : new Date());
    logger().info({ flow: p.flowSlug, at: p.at, delivery: result.deliveryId, records: result.recordIds.length }, "scheduled outgoing run");
    return;
  }
  const at = new Date(p._cron?.ts ?? Date.now());
  for (const flowSlug of await dueSchedules(sql, at)) {
    // Keyed by flow and minute: a tick that runs twice queues each run once.
    await helpers.addJob(RUN_SCHEDULE_TASK, { flowSlug, at: at.toISOString() }, { jobKey: `schedule:${flowSlug}:${at.toISOString()}` });
  }
};
