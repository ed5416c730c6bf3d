/**
 * Record events (created, updated, status changed). Each is queued as a
 * graphile-worker job in the same transaction as the change: a change that rolls
 * back sends nothing, a change that commits is never lost.
 */
import type { Queryable } from "./store";

export type RecordEventKind = "created" | "updated" | "status_changed";

export interface RecordEvent {
  entity: string;
  recordId: string;
  event: RecordEventKind;
  status: string | null;
  from?: string;
}

export const RECORD_EVENT_TASK = "record-event";

export async function emitRecordEvent(sql: Queryable, event: RecordEvent): Promise<void> {
  await sql`select graphile_worker.add_job(${RECORD_EVENT_TASK}, ${sql.json({ ...event, at: new Date().toISOString() })}::json)`;
}
