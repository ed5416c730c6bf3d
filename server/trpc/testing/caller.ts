/** Test helper: the app router called in-process as a user of a given role, on a test database. */
import type { Sql } from "postgres";
import type { Role } from "@/server/auth/permissions";
import { createCallerFactory, createContext } from "../init";
import { appRouter } from "../root";

export function callerAs(sql: Sql, role: Role, id = `test-${role}`) {
  return createCallerFactory(appRouter)(createContext({ sql, user: { id, email: `${role}@example.com`, name: role, role } }));
}

/** The tRPC error code a call fails with ("OK" when it succeeds). */
export async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    return (error as { code?: string }).code ?? `THREW ${(error as Error).name}`;
  }
}
