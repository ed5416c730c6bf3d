/**
 * The signed-in console user for a request, read from better-auth's session
 * cookie. One place turns a session into our user shape (with its role), for
 * tRPC's context and for server components alike.
 */
import { getAuth } from "./auth";
import { isRole, type Role } from "./permissions";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export async function sessionUserFrom(headers: Headers): Promise<SessionUser | null> {
  const auth = await getAuth();
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  const user = session.user as typeof session.user & { role?: unknown; disabled?: unknown };
  // A disabled user's sessions are deleted, but a cached read must not slip through either.
  if (user.disabled === true || !isRole(user.role)) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
