/**
 * Record events (created, updated, status changed). Each is written to the
 * record_events outbox in the same transaction as the change: a change that rolls
 * back emits nothing, a change that commits is never lost. The worker's event pump
 * moves them into graphile-worker jobs (server/jobs/event-pump.ts).
 */
import type { Queryable } from "@/server/db/queryable";

export type RecordEventKind = "created" | "updated" | "status_changed";

export interface RecordEvent {
  entity: string;
  recordId: string;
  event: RecordEventKind;
  status: string | null;
  from?: string;
}

export async function emitRecordEvent(sql: Queryable, event: RecordEvent): Promise<void> {
  await sql`insert into record_events (payload) values (${sql.json({ ...event, at: new Date().toISOString() })})`;
}
