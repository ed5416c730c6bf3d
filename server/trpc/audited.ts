/** One audit row for a console action, written as the signed-in user (on the caller's transaction when given). */
import { recordAudit } from "@/server/audit/audit-log";
import type { SessionUser } from "@/server/auth/session";
import type { Queryable } from "@/server/db/queryable";

export function audit(sql: Queryable, user: SessionUser, action: string, target?: string, details?: Record<string, unknown>): Promise<void> {
  return recordAudit(sql, { actorId: user.id, actorEmail: user.email, action, ...(target === undefined ? {} : { target }), ...(details ? { details } : {}) });
}
