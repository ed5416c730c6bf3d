/**
 * Console users: created by an admin or the CLI (sign-up is closed), with one role
 * each. Passwords go through better-auth's own hashing and account records, so
 * sign-in works exactly as for any better-auth user.
 */
import { randomBytes } from "node:crypto";
import { getAuth } from "./auth";
import { isRole, ROLES, type Role } from "./permissions";
import { AppError } from "@/server/errors/app-error";
import type { Queryable } from "@/server/db/queryable";

export interface ConsoleUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
}

/** A refused user change; its code is one of the error table's (flows/app-errors.ts). */
export class UserInputError extends AppError {
  declare readonly code: "INVALID_EMAIL" | "INVALID_ROLE" | "WEAK_PASSWORD" | "USER_EXISTS" | "USER_NOT_FOUND" | "LAST_ADMIN";

  constructor(message: string, code: UserInputError["code"]) {
    super(code, { message });
    this.name = "UserInputError";
  }
}

export const MIN_PASSWORD_LENGTH = 10;

/** A password for a first admin or a new user: 18 random bytes, URL-safe. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}

function normalizeEmail(email: string): string {
  const e = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(e)) throw new UserInputError(`"${email}" is not an email address`, "INVALID_EMAIL");
  return e;
}

export async function createUser(
  sql: Queryable,
  input: { email: string; role: string; password: string; name?: string },
): Promise<ConsoleUser> {
  const email = normalizeEmail(input.email);
  if (!isRole(input.role)) throw new UserInputError(`role must be one of ${ROLES.join(", ")}`, "INVALID_ROLE");
  if (input.password.length < MIN_PASSWORD_LENGTH)
    throw new UserInputError(`password must be at least ${MIN_PASSWORD_LENGTH} characters`, "WEAK_PASSWORD");
  const [existing] = await sql`select 1 from auth_user where email = ${email}`;
  if (existing) throw new UserInputError(`a user with email ${email} already exists`, "USER_EXISTS");

  const ctx = await (await getAuth()).$context;
  const hash = await ctx.password.hash(input.password);
  const user = await ctx.internalAdapter.createUser({
    email,
    name: input.name?.trim() || (email.split("@")[0] ?? email),
    emailVerified: true,
    role: input.role,
    disabled: false,
  }, { method: "email-password" });
  await ctx.internalAdapter.linkAccount({ userId: user.id, providerId: "credential", accountId: user.id, password: hash });
  return (await getUser(sql, user.id))!;
}

export async function getUser(sql: Queryable, id: string): Promise<ConsoleUser | undefined> {
  const [row] = await sql<ConsoleUser[]>`
    select id, email, name, role, disabled, created_at as "createdAt" from auth_user where id = ${id}`;
  return row;
}

export async function listUsers(sql: Queryable): Promise<ConsoleUser[]> {
  return sql<ConsoleUser[]>`
    select id, email, name, role, disabled, created_at as "createdAt" from auth_user order by email`;
}

export async function countAdmins(sql: Queryable): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from auth_user where role = 'admin' and not disabled`;
  return row?.n ?? 0;
}

/** Changes a role; refuses to leave the installation without an active admin. */
export async function setUserRole(sql: Queryable, id: string, role: string): Promise<ConsoleUser> {
  if (!isRole(role)) throw new UserInputError(`role must be one of ${ROLES.join(", ")}`, "INVALID_ROLE");
  const user = await getUser(sql, id);
  if (!user) throw new UserInputError("no such user", "USER_NOT_FOUND");
  if (user.role === "admin" && role !== "admin" && !user.disabled && (await countAdmins(sql)) <= 1)
    throw new UserInputError("the last active admin cannot lose the admin role", "LAST_ADMIN");
  await sql`update auth_user set role = ${role}, updated_at = now() where id = ${id}`;
  return (await getUser(sql, id))!;
}

/** Disabling signs the user out everywhere (their sessions are deleted) and blocks sign-in. */
export async function setUserDisabled(sql: Queryable, id: string, disabled: boolean): Promise<ConsoleUser> {
  const user = await getUser(sql, id);
  if (!user) throw new UserInputError("no such user", "USER_NOT_FOUND");
  if (disabled && user.role === "admin" && !user.disabled && (await countAdmins(sql)) <= 1)
    throw new UserInputError("the last active admin cannot be disabled", "LAST_ADMIN");
  await sql`update auth_user set disabled = ${disabled}, updated_at = now() where id = ${id}`;
  if (disabled) await sql`delete from auth_session where user_id = ${id}`;
  return (await getUser(sql, id))!;
}

export async function setUserPassword(sql: Queryable, id: string, password: string): Promise<void> {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new UserInputError(`password must be at least ${MIN_PASSWORD_LENGTH} characters`, "WEAK_PASSWORD");
  if (!(await getUser(sql, id))) throw new UserInputError("no such user", "USER_NOT_FOUND");
  const ctx = await (await getAuth()).$context;
  await ctx.internalAdapter.updatePassword(id, await ctx.password.hash(password));
}
