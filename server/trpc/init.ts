/**
 * tRPC for the console. Every procedure except `session.*` is built with
 * `guarded(permission)`: the permission is checked on the server before the input
 * is even parsed, and recorded as the procedure's meta so a table-driven test
 * can call every procedure with every role (server/trpc/roles.test.ts). Each signed-in user
 * also draws from a token bucket (consoleCallAllowed): one console tab cannot make the server
 * work for everyone else (issue 15: 200 batched calls from a viewer slowed incoming calls 14×).
 * Answers and inputs travel through superjson, so a Date stays a Date on both sides and the
 * console takes its types from the router instead of declaring string-dated copies.
 * Errors are mapped here, once: `appErrors` turns whatever a procedure throws into the tRPC code of
 * the error table (flows/app-errors.ts) and the formatter adds the table's code as `data.appCode`.
 */
import { randomUUID } from "node:crypto";
import { initTRPC } from "@trpc/server";
import type { Sql } from "postgres";
import superjson from "superjson";
import { ZodError } from "zod";
import { can, type Permission } from "@/server/auth/permissions";
import type { SessionUser } from "@/server/auth/session";
import { AppError } from "@/server/errors/app-error";
import { toTRPCError } from "@/server/errors/to-app-error";
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
    transformer: superjson,
    errorFormatter({ shape, error }) {
      // Field errors from zod reach the form; internals of unexpected errors never do.
      const zodError = error.cause instanceof ZodError ? error.cause.issues.map((i) => ({ path: i.path.join("."), message: i.message })) : null;
      if (error.code === "INTERNAL_SERVER_ERROR") {
        return { ...shape, message: "Something went wrong on the server. The error is logged.", data: { ...shape.data, stack: undefined, zodError: null, appCode: "INTERNAL_ERROR" } };
      }
      const appCode = error.cause instanceof AppError ? error.cause.code : zodError ? "VALIDATION_FAILED" : null;
      return { ...shape, data: { ...shape.data, stack: undefined, zodError, appCode } };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Every procedure's errors, mapped once: known failures get the table's tRPC code and keep their
 * safe message; the unexpected are logged and stay INTERNAL_SERVER_ERROR (the formatter hides them).
 */
const appErrors = t.middleware(async ({ ctx, path, next }) => {
  const result = await next();
  if (result.ok) return result;
  const error = toTRPCError(result.error);
  if (error.code === "INTERNAL_SERVER_ERROR") {
    logger().error({ err: result.error.cause ?? result.error, path, requestId: ctx.requestId }, "tRPC procedure failed");
  }
  if (error === result.error) return result;
  throw error;
});

/**
 * Console calls per user: a burst of CONSOLE_CALL_BURST, refilled at CONSOLE_CALLS_PER_SECOND.
 * Sized from what the pages send: the logs list refetches its loaded pages every 5 s, a record
 * page polls once a second while a delivery is in flight, the dashboard every 30 s, the designer
 * saves a moment after each change — about 3 calls a second at most with two busy tabs, and a
 * page's first load (a dozen queries) is far under the burst. Kept in this process's memory: a
 * brake on one user's load, not an accounting (several web processes each count on their own).
 */
export const CONSOLE_CALL_BURST = 120;
/** Calls in one HTTP batch at most (the route's maxBatchSize; the client's httpBatchLink maxItems). */
export const MAX_BATCH_SIZE = 20;
export const CONSOLE_CALLS_PER_SECOND = 5;
const buckets = new Map<string, { tokens: number; at: number }>();
const MAX_BUCKETS = 10_000;

/** Takes one call from the user's bucket: undefined when allowed, else the seconds until one is. */
export function consoleCallAllowed(userId: string, now = Date.now()): number | undefined {
  let bucket = buckets.get(userId);
  if (!bucket) {
    if (buckets.size >= MAX_BUCKETS) buckets.delete(buckets.keys().next().value!);
    bucket = { tokens: CONSOLE_CALL_BURST, at: now };
    buckets.set(userId, bucket);
  }
  bucket.tokens = Math.min(CONSOLE_CALL_BURST, bucket.tokens + ((now - bucket.at) / 1000) * CONSOLE_CALLS_PER_SECOND);
  bucket.at = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return undefined;
  }
  return Math.max(1, Math.ceil((1 - bucket.tokens) / CONSOLE_CALLS_PER_SECOND));
}

/** For session.* only: callable signed out. */
export const publicProcedure = t.procedure.use(appErrors);

/** A procedure that requires a signed-in user whose role has `permission`. */
export function guarded(permission: Permission) {
  return t.procedure
    .meta({ permission })
    .use(appErrors)
    .use(({ ctx, next }) => {
      if (!ctx.user) throw new AppError("UNAUTHENTICATED");
      const retryAfter = consoleCallAllowed(ctx.user.id);
      if (retryAfter !== undefined) throw new AppError("CONSOLE_RATE_LIMITED", { params: { seconds: retryAfter } });
      if (!can(ctx.user.role, permission)) throw new AppError("PERMISSION_DENIED", { params: { role: ctx.user.role, permission } });
      return next({ ctx: { ...ctx, user: ctx.user } });
    });
}
