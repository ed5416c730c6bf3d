/**
 * What an admin (console) or the CLI does to console users: one domain operation per action with
 * its audit row. Role and disable changes run in one transaction with their audit row; creating a
 * user goes through better-auth's own adapter (its own connection), so the audit row follows the
 * created account. The rules — one role each, never without an active admin — are in ./users.ts.
 */
import type { Sql } from "postgres";
import { auditAs, type Actor } from "@/server/audit/actor";
import type { Queryable } from "@/server/db/queryable";
import { AppError } from "@/server/errors/app-error";
import { createUser, generatePassword, setUserDisabled, setUserRole, UserInputError, type ConsoleUser } from "./users";

/** Without a password one is generated and returned in this answer only, to hand to the user. */
export async function createConsoleUser(
  sql: Sql,
  input: { email: string; role: string; name?: string; password?: string },
  actor: Actor,
): Promise<{ user: ConsoleUser; generatedPassword?: string }> {
  const password = input.password || generatePassword();
  const user = await createUser(sql, { email: input.email, name: input.name, role: input.role, password });
  await auditAs(sql, actor, "user.created", user.email, { role: user.role });
  return { user, ...(input.password ? {} : { generatedPassword: password }) };
}

/** A user named by id (the console) or by email (the CLI). */
export type UserRef = { id: string } | { email: string };

async function resolveUserId(sql: Queryable, ref: UserRef): Promise<string> {
  if ("id" in ref) return ref.id;
  const [row] = await sql<{ id: string }[]>`select id from auth_user where email = ${ref.email.trim().toLowerCase()}`;
  if (!row) throw new UserInputError(`no user with email ${ref.email}`, "USER_NOT_FOUND");
  return row.id;
}

export async function changeUserRole(sql: Sql, input: UserRef & { role: string }, actor: Actor): Promise<ConsoleUser> {
  return sql.begin(async (tx) => {
    const user = await setUserRole(tx, await resolveUserId(tx, input), input.role);
    await auditAs(tx, actor, "user.role_changed", user.email, { role: user.role });
    return user;
  });
}

/** Disabling signs the user out everywhere; nobody disables themselves (they would lock themselves out mid-action). */
export async function changeUserDisabled(sql: Sql, input: UserRef & { disabled: boolean }, actor: Actor): Promise<ConsoleUser> {
  return sql.begin(async (tx) => {
    const id = await resolveUserId(tx, input);
    if (input.disabled && actor.kind === "user" && id === actor.id) throw new AppError("INVALID_REQUEST", { message: "You cannot disable yourself" });
    const user = await setUserDisabled(tx, id, input.disabled);
    await auditAs(tx, actor, input.disabled ? "user.disabled" : "user.enabled", user.email);
    return user;
  });
}
