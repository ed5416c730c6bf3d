/**
 * Console sign-in: better-auth with email and password, sessions in PostgreSQL
 * (through its Drizzle adapter), sign-in attempts rate limited per IP in the
 * database so every web process shares the count. Sign-up is closed: users are
 * created by an admin (server/auth/users.ts) or the CLI.
 *
 * The adapter gets a postgres.js client of its own: drizzle rewires a client's
 * JSON/date serializers, which must not leak into the shared pool (server/db/client.ts).
 */
import { hkdfSync } from "node:crypto";
import { betterAuth } from "better-auth";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { authAccount, authRateLimit, authSession, authUser, authVerification } from "@/server/db/schema/auth";
import type { Sql } from "postgres";
import { createSql, getDatabase } from "@/server/db/client";
import { env } from "@/server/env";
import { secretKey } from "@/server/secrets/secret-key";
import { recordAudit } from "@/server/audit/audit-log";
import { logger } from "@/server/log";
import { processAuth } from "./process-auth";
import { ACCOUNT_FAILURE_LIMIT, ACCOUNT_FAILURE_WINDOW_MINUTES, accountSignInRetryAfter, recordSignInFailure } from "./sign-in-failures";
import { CROSS_ORIGIN_MESSAGE, isSameOriginRequest } from "./same-origin";

const schema = { authUser, authSession, authAccount, authVerification, authRateLimit };

/** Sign-in attempts allowed per IP per minute before 429 (FLOWPORT_SIGN_IN_ATTEMPTS_PER_MINUTE, default 10). */
export const signInAttemptsPerMinute = () => env().FLOWPORT_SIGN_IN_ATTEMPTS_PER_MINUTE;

function buildAuth(client: Sql) {
  const db = drizzle(client, { schema });
  const { publicUrl } = env();
  return betterAuth({
    appName: "Flowport",
    // Into our pino log (never the request body, so never a password).
    logger: { log: (level, message) => logger().child({ component: "auth" })[level === "debug" ? "debug" : level](message) },
    baseURL: publicUrl,
    basePath: "/api/auth",
    // A key of its own, derived from the installation's secret key (never stored).
    secret: Buffer.from(hkdfSync("sha256", secretKey(), "", "flowport/better-auth", 32)).toString("base64"),
    database: drizzleAdapter(db, { provider: "pg", schema }),
    user: {
      modelName: "authUser",
      additionalFields: {
        role: { type: "string", required: false, defaultValue: "viewer", input: false },
        disabled: { type: "boolean", required: false, defaultValue: false, input: false },
      },
    },
    session: {
      modelName: "authSession",
      expiresIn: 60 * 60 * 12, // a working day
      updateAge: 60 * 60,
    },
    account: { modelName: "authAccount" },
    verification: { modelName: "authVerification" },
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 10, autoSignIn: false },
    rateLimit: {
      enabled: true,
      storage: "database",
      modelName: "authRateLimit",
      window: 60,
      max: 300,
      customRules: { "/sign-in/email": { window: 60, max: signInAttemptsPerMinute() } },
    },
    advanced: {
      // server/launcher/run-role.ts sets x-forwarded-for to the socket's address on every request.
      ipAddress: { ipAddressHeaders: ["x-forwarded-for"] },
      useSecureCookies: publicUrl.startsWith("https://"),
      cookiePrefix: "flowport",
    },
    // Same-origin requests only: the console is served from the host the browser asked for.
    trustedOrigins: (request) => {
      const host = request?.headers.get("host");
      return host ? [publicUrl, `http://${host}`, `https://${host}`] : [publicUrl];
    },
    // Per account, beside rateLimit's per address (sign-in-failures.ts).
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        const email = ctx.path === "/sign-in/email" ? emailOf(ctx.body) : undefined;
        if (!email) return;
        const minutes = await accountSignInRetryAfter((await getDatabase()).sql, email);
        if (minutes === undefined) return;
        throw new APIError("TOO_MANY_REQUESTS", {
          code: "ACCOUNT_TEMPORARILY_LOCKED",
          message: `Too many failed sign-ins to this account (${ACCOUNT_FAILURE_LIMIT} in ${ACCOUNT_FAILURE_WINDOW_MINUTES} minutes); try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
        });
      }),
      after: createAuthMiddleware(async (ctx) => {
        const email = ctx.path === "/sign-in/email" ? emailOf(ctx.body) : undefined;
        const returned = ctx.context.returned;
        if (!email || !isAPIError(returned) || returned.statusCode !== 401) return;
        await recordSignInFailure((await getDatabase()).sql, email, ctx.request?.headers.get("x-forwarded-for") ?? null);
      }),
    },
    databaseHooks: {
      session: {
        create: {
          before: async (session) => {
            const [user] = await db.select({ disabled: authUser.disabled }).from(authUser).where(eq(authUser.id, session.userId));
            if (!user || user.disabled) return false;
            return { data: session };
          },
          after: async (session) => {
            const sql = (await getDatabase()).sql;
            const [user] = await sql<{ email: string }[]>`select email from auth_user where id = ${session.userId}`;
            await recordAudit(sql, { actorId: session.userId, actorEmail: user?.email, action: "user.signed_in", details: { ip: session.ipAddress ?? null } });
          },
        },
      },
    },
  });
}

const emailOf = (body: unknown) => {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === "string" && email.trim() !== "" ? email : undefined;
};

export type Auth = ReturnType<typeof buildAuth>;

export interface AuthHandle {
  auth: Auth;
  /** Ends the auth's own connections (the launcher calls it on shutdown). */
  close(): Promise<void>;
}

/** A better-auth instance over the database at `url` (tests build their own). */
export function createAuth(url: string): AuthHandle {
  const client = createSql(url, 4);
  return { auth: buildAuth(client), close: () => client.end({ timeout: 5 }) };
}

/** The process's better-auth instance, built on first use over the process database. */
export async function getAuth(): Promise<Auth> {
  return (await processAuth(async () => createAuth((await getDatabase()).url))).auth;
}

/**
 * The /api/auth route. Refuses POSTs that are not from our own pages (same-origin.ts) before
 * better-auth sees them: its own check only guards requests that already carry cookies, and a
 * forged sign-in ("login CSRF") would sign a victim into an attacker's account.
 */
export async function handleAuthRequest(request: Request): Promise<Response> {
  if (request.method === "POST" && !isSameOriginRequest(request)) {
    return Response.json({ code: "CROSS_ORIGIN", message: CROSS_ORIGIN_MESSAGE }, { status: 403 });
  }
  return (await getAuth()).handler(request);
}
