import "server-only";
/** The signed-in user in server components; redirects to the sign-in page when there is none. */
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { sessionUserFrom, type SessionUser } from "@/server/auth/session";
import { can, type Permission } from "@/server/auth/permissions";

export async function requireUser(): Promise<SessionUser> {
  const user = await sessionUserFrom(await headers());
  if (!user) redirect("/sign-in");
  return user;
}

/** For pages a role may not open at all (e.g. credentials for analysts): a plain 403 page instead. */
export async function requirePermission(permission: Permission): Promise<SessionUser & { allowed: boolean }> {
  const user = await requireUser();
  return { ...user, allowed: can(user.role, permission) };
}
