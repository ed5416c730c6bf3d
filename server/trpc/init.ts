/**
 * tRPC for the console. Every procedure except `session.*` is built with
 * `guarded(permission)`: the permission is checked on the server before the input
 * is even parsed, and recorded as the procedure's meta so a table-driven test
 * can call every procedure with every role (server/trpc/roles.test.ts).
 */
import { randomUUID } from "node:crypto";
import { initTRPC, TRPCError } from "@trpc/server";
import type { Sql } from "postgres";
import { ZodError } from "zod";
import { can, type Permission } from "@/server/auth/permissions";
import type { SessionUser } from "@/server/auth/session";
import { logger } from "@/server/log";

export interface Context {
  sql: Sql;
  user: SessionUser | null;
  requestId: string;
}

export interface Meta {
  permission?: Permission;
}

export function createContext(input: { sql: Sql; user: SessionUser | null; requestId?: string }): Context {
  return { sql: input.sql, user: input.user, requestId: input.requestId ?? randomUUID() };
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    errorFormatter({ shape, error }) {
      // Field errors from zod reach the form; internals of unexpected errors never do.
      const zodError = error.cause instanceof ZodError ? error.cause.issues.map((i) => ({ path: i.path.join("."), message: i.message })) : null;
      if (error.code === "INTERNAL_SERVER_ERROR") {
        return { ...shape, message: "Something went wrong on the server. The error is logged.", data: { ...shape.data, stack: undefined, zodError: null } };
      }
      return { ...shape, data: { ...shape.data, stack: undefined, zodError } };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const logged = t.middleware(async ({ ctx, path, next }) => {
  const result = await next();
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR") {
    logger().error({ err: result.error.cause ?? result.error, path, requestId: ctx.requestId }, "tRPC procedure failed");
  }
  return result;
});

/** For session.* only: callable signed out. */
export const publicProcedure = t.procedure.use(logged);

/** A procedure that requires a signed-in user whose role has `permission`. */
export function guarded(permission: Permission) {
  return t.procedure
    .meta({ permission })
    .use(logged)
    .use(({ ctx, next }) => {
      if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
      if (!can(ctx.user.role, permission)) {
        throw new TRPCError({ code: "FORBIDDEN", message: `Your role (${ctx.user.role}) does not allow this (${permission}).` });
      }
      return next({ ctx: { ...ctx, user: ctx.user } });
    });
}
