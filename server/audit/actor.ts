/**
 * Who performs a domain operation (publishFlow, rollbackFlow, setFlowStatusRules…): a signed-in
 * console user, the CLI run by an OS account, or the system itself (the first-start seed, test
 * fixtures). Operations take one so that every caller leaves the same audit row and the same
 * "published by" name, whichever door it came through.
 */
import os from "node:os";
import type { Queryable } from "@/server/db/queryable";
import { recordAudit, type AuditEntry } from "./audit-log";

export type Actor =
  | { kind: "user"; id: string; email: string; name?: string }
  | { kind: "cli"; name: string }
  | { kind: "system"; name: string };

/** A console user acting (replays are attributed to one: the record's origin names them). */
export type UserActor = Extract<Actor, { kind: "user" }>;

/** The CLI's name in logs and audit rows: the OS account that ran it (a container without a passwd entry has only a uid). */
export function cliActorName(): string {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    return `cli:uid-${process.getuid?.() ?? "unknown"}`;
  }
}

export const cliActor = (): Actor => ({ kind: "cli", name: cliActorName() });

export const systemActor = (name: string): Actor => ({ kind: "system", name });

/** The name shown beside what the actor did (a version's "published by", a draft's "saved by"). */
export function actorLabel(actor: Actor): string {
  return actor.kind === "user" ? actor.name || actor.email : actor.name;
}

/**
 * The audit row's actor columns. The CLI and the system have no user id: their readable name goes
 * where a user's email goes, so the audit page and its actor filter (`cli:`) show and find them.
 */
export function auditActor(actor: Actor): Pick<AuditEntry, "actorId" | "actorEmail"> {
  return actor.kind === "user" ? { actorId: actor.id, actorEmail: actor.email } : { actorId: null, actorEmail: actor.name };
}

/** A signed-in console user (server/auth/session.ts's SessionUser fits). */
export const userActor = (user: { id: string; email: string; name?: string }): UserActor => ({ kind: "user", id: user.id, email: user.email, ...(user.name ? { name: user.name } : {}) });

/** One audit row written as `actor`, on the caller's transaction (domain operations pass theirs). */
export async function auditAs(sql: Queryable, actor: Actor, action: string, target?: string, details?: Record<string, unknown>): Promise<void> {
  await recordAudit(sql, { ...auditActor(actor), action, ...(target === undefined ? {} : { target }), ...(details ? { details } : {}) });
}
