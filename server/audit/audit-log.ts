/**
 * The audit log: who did what, when. Every console action that changes what
 * Flowport does (publish, rollback, keys, credentials, retries, discards, edits)
 * and every sign-in writes one row. Details must never hold a secret.
 */
import type { Queryable } from "@/server/db/queryable";

export interface AuditEntry {
  /** auth_user.id; null for the system or the CLI. */
  actorId: string | null;
  /** Kept beside the id so the log still reads right after a user is deleted. */
  actorEmail?: string | null;
  /** dotted verb, e.g. `flow.published`, `client.key_issued`, `delivery.retried`. */
  action: string;
  /** What it was done to, e.g. a flow slug, a client id, a delivery id. */
  target?: string;
  details?: Record<string, unknown>;
}


export async function recordAudit(sql: Queryable, entry: AuditEntry): Promise<void> {
  await sql`
    insert into audit_log (actor_id, actor_email, action, target, details)
    values (${entry.actorId}, ${entry.actorEmail ?? null}, ${entry.action}, ${entry.target ?? null},
            ${sql.json((entry.details ?? {}) as never)})`;
}
