/**
 * Reading the audit log: newest first, filtered, keyset-paginated on (at, id) so a page costs the
 * same on the millionth row as on the first (audit_log_at_idx).
 */
import type { Queryable } from "@/server/db/queryable";

export interface AuditRow {
  id: number;
  at: Date;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

export interface AuditFilter {
  /** Exact action (`client.key_issued`) or a family prefix ending in a dot (`client.`). */
  action?: string;
  /** Part of the actor's email. */
  actor?: string;
  /** Part of the target. */
  target?: string;
  from?: Date;
  to?: Date;
  /** The id of the last row of the previous page. */
  before?: number;
  limit?: number;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listAuditEntries(sql: Queryable, filter: AuditFilter = {}): Promise<{ items: AuditRow[]; nextCursor: number | null }> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const action = filter.action?.trim();
  const actor = filter.actor?.trim();
  const target = filter.target?.trim();
  const rows = await sql<AuditRow[]>`
    select id::int as id, at, actor_id as "actorId", actor_email as "actorEmail", action, target, details
    from audit_log
    where true
      ${action ? (action.endsWith(".") ? sql`and action like ${`${escapeLike(action)}%`}` : sql`and action = ${action}`) : sql``}
      ${actor ? sql`and actor_email ilike ${`%${escapeLike(actor)}%`}` : sql``}
      ${target ? sql`and target ilike ${`%${escapeLike(target)}%`}` : sql``}
      ${filter.from ? sql`and at >= ${filter.from}` : sql``}
      ${filter.to ? sql`and at < ${filter.to}` : sql``}
      ${filter.before !== undefined ? sql`and (at, id) < (select at, id from audit_log where id = ${filter.before})` : sql``}
    order by at desc, id desc
    limit ${limit + 1}`;
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? items.at(-1)!.id : null };
}

/** The actions that occur in the log, for the filter's picker. */
export async function listAuditActions(sql: Queryable): Promise<string[]> {
  const rows = await sql<{ action: string }[]>`select distinct action from audit_log order by action`;
  return rows.map((r) => r.action);
}
