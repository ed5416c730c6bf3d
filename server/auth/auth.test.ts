import { afterAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/database";
import { createAuth, getAuth, handleAuthRequest, signInAttemptsPerMinute } from "./auth";
import { closeAuth } from "./process-auth";
import { sessionUserFrom } from "./session";
import { createUser, setUserDisabled, setUserRole, UserInputError } from "./users";
import { resetEnvForTests } from "../env";
import { ACCOUNT_FAILURE_LIMIT, ACCOUNT_FAILURE_WINDOW_MINUTES } from "./sign-in-failures";

const db = useTestDatabase();
afterAll(() => closeAuth());

const ORIGIN = "http://localhost:3000";
let ipCounter = 1;

async function signIn(email: string, password: string, ip = `10.1.0.${ipCounter++}`) {
  const auth = await getAuth();
  return auth.handler(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN, "x-forwarded-for": ip },
      body: JSON.stringify({ email, password }),
    }),
  );
}

function cookieHeader(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

describe("console sign-in (better-auth over our database)", () => {
  it("signs a created user in with a session cookie that is HttpOnly, SameSite=Lax, path /", async () => {
    await createUser(db().sql, { email: "Ana@Example.com", role: "analyst", password: "correct horse battery" });
    const response = await signIn("ana@example.com", "correct horse battery");
    expect(response.status).toBe(200);
    const sessionCookie = response.headers.getSetCookie().find((c) => c.startsWith("flowport.session_token="));
    expect(sessionCookie).toBeDefined();
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=Lax/i);
    expect(sessionCookie).toMatch(/Path=\//i);
    // Plain http (the local default): no Secure flag, or the browser would drop the cookie.
    expect(sessionCookie).not.toMatch(/;\s*Secure/i);

    const user = await sessionUserFrom(new Headers({ cookie: cookieHeader(response) }));
    expect(user).toMatchObject({ email: "ana@example.com", role: "analyst" });
    const [session] = await db().sql`select token from auth_session s join auth_user u on u.id = s.user_id where u.email = 'ana@example.com'`;
    expect(session).toBeDefined();
    const [audit] = await db().sql`select action, actor_email from audit_log where action = 'user.signed_in' order by id desc limit 1`;
    expect(audit).toMatchObject({ action: "user.signed_in", actor_email: "ana@example.com" });
  });

  it("stores only a hash of the password", async () => {
    await createUser(db().sql, { email: "hash@example.com", role: "viewer", password: "a-very-secret-pw-123" });
    const rows = await db().sql`select a.password from auth_account a join auth_user u on u.id = a.user_id where u.email = 'hash@example.com'`;
    expect(rows[0]?.password).toBeTruthy();
    expect(rows[0]?.password).not.toContain("a-very-secret-pw-123");
  });

  it("refuses a wrong password with 401 and no session", async () => {
    await createUser(db().sql, { email: "wrong@example.com", role: "viewer", password: "the right password" });
    const response = await signIn("wrong@example.com", "not the password");
    expect(response.status).toBe(401);
    expect(response.headers.getSetCookie().some((c) => c.startsWith("flowport.session_token=") && !c.includes("Max-Age=0"))).toBe(false);
  });

  it("rate limits sign-in attempts per IP (429 after the limit), shared through the database", async () => {
    const ip = "10.9.9.9";
    const SIGN_IN_ATTEMPTS_PER_MINUTE = signInAttemptsPerMinute();
    expect(SIGN_IN_ATTEMPTS_PER_MINUTE).toBe(10); // the default
    const statuses: number[] = [];
    // One account per guess: the per-account limit (below) must not be what answers.
    for (let i = 0; i < SIGN_IN_ATTEMPTS_PER_MINUTE + 2; i++) statuses.push((await signIn(`nobody${i}@example.com`, "guess-number-" + i, ip)).status);
    expect(statuses.slice(0, SIGN_IN_ATTEMPTS_PER_MINUTE).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(SIGN_IN_ATTEMPTS_PER_MINUTE)).toEqual([429, 429]);
    // Another address is not affected.
    expect((await signIn("nobody0@example.com", "guess", "10.9.9.10")).status).toBe(401);
    const [row] = await db().sql`select count from auth_rate_limit where key like ${"%" + ip + "%"}`;
    expect(Number(row?.count)).toBeGreaterThanOrEqual(SIGN_IN_ATTEMPTS_PER_MINUTE);
  });

  it(`limits sign-in per account: after ${ACCOUNT_FAILURE_LIMIT} failures in ${ACCOUNT_FAILURE_WINDOW_MINUTES} minutes from any addresses, 429 even with the right password, visible in the audit log`, async () => {
    await createUser(db().sql, { email: "target@example.com", role: "admin", password: "the real password 1" });
    await createUser(db().sql, { email: "bystander@example.com", role: "viewer", password: "bystander password" });
    // One guess from each of many addresses: the per-address limit never triggers.
    for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i++) expect((await signIn("Target@example.com", `guess-${i}`, `10.44.0.${i + 1}`)).status).toBe(401);
    const locked = await signIn("target@example.com", "the real password 1", "10.44.1.1");
    expect(locked.status).toBe(429);
    const body = (await locked.json()) as { code?: string; message?: string };
    expect(body.code).toBe("ACCOUNT_TEMPORARILY_LOCKED");
    expect(body.message).toMatch(/Too many failed sign-ins to this account .*try again in \d+ minutes?/);
    expect(locked.headers.getSetCookie().some((c) => c.startsWith("flowport.session_token=") && !c.includes("Max-Age=0"))).toBe(false);
    // Other accounts are not affected.
    expect((await signIn("bystander@example.com", "bystander password", "10.44.1.2")).status).toBe(200);
    const failures = await db().sql<{ target: string; ip: string }[]>`select target, details->>'ip' as ip from audit_log where action = 'user.sign_in_failed' and target = 'target@example.com'`;
    expect(failures).toHaveLength(ACCOUNT_FAILURE_LIMIT);
    expect(failures.map((f) => f.ip)).toContain("10.44.0.1");
    // The window slides: once the failures are older than it, the right password works again.
    await db().sql`update audit_log set at = at - make_interval(mins => ${ACCOUNT_FAILURE_WINDOW_MINUTES + 1}) where action = 'user.sign_in_failed' and target = 'target@example.com'`;
    expect((await signIn("target@example.com", "the real password 1", "10.44.1.3")).status).toBe(200);
  });

  it("refuses a sign-in POST that carries neither Origin nor Sec-Fetch-Site: same-origin", async () => {
    await createUser(db().sql, { email: "noorigin@example.com", role: "viewer", password: "noorigin-password" });
    const post = (headers: Record<string, string>) =>
      handleAuthRequest(
        new Request(`${ORIGIN}/api/auth/sign-in/email`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": "10.3.1.1", host: "localhost:3000", ...headers },
          body: JSON.stringify({ email: "noorigin@example.com", password: "noorigin-password" }),
        }),
      );
    expect((await post({})).status).toBe(403);
    expect((await post({ "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await post({ "sec-fetch-site": "same-origin" })).status).toBe(200);
  });

  it("keeps sign-up closed: users come from an admin or the CLI", async () => {
    const auth = await getAuth();
    const response = await auth.handler(
      new Request(`${ORIGIN}/api/auth/sign-up/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: ORIGIN, "x-forwarded-for": "10.2.0.1" },
        body: JSON.stringify({ email: "self@example.com", password: "self-signed-up-123", name: "Self" }),
      }),
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    const rows = await db().sql`select 1 from auth_user where email = 'self@example.com'`;
    expect(rows).toHaveLength(0);
  });

  it("refuses a cross-site sign-in (Origin of another site)", async () => {
    await createUser(db().sql, { email: "csrf@example.com", role: "viewer", password: "csrf-password-123" });
    const response = await handleAuthRequest(
      new Request(`${ORIGIN}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: "https://evil.example", "x-forwarded-for": "10.3.0.1", host: "localhost:3000" },
        body: JSON.stringify({ email: "csrf@example.com", password: "csrf-password-123" }),
      }),
    );
    expect(response.status).toBe(403);
    const rows = await db().sql`select 1 from auth_session s join auth_user u on u.id = s.user_id where u.email = 'csrf@example.com'`;
    expect(rows).toHaveLength(0);
    // The same request from the console's own origin works.
    const ok = await handleAuthRequest(
      new Request(`${ORIGIN}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: ORIGIN, "x-forwarded-for": "10.3.0.2", host: "localhost:3000" },
        body: JSON.stringify({ email: "csrf@example.com", password: "csrf-password-123" }),
      }),
    );
    expect(ok.status).toBe(200);
  });

  it("a disabled user loses their sessions and cannot sign in again", async () => {
    const user = await createUser(db().sql, { email: "gone@example.com", role: "operator", password: "operator-password" });
    const first = await signIn("gone@example.com", "operator-password");
    expect(first.status).toBe(200);
    await setUserDisabled(db().sql, user.id, true);
    expect(await sessionUserFrom(new Headers({ cookie: cookieHeader(first) }))).toBeNull();
    expect((await signIn("gone@example.com", "operator-password")).status).not.toBe(200);
  });

  it("validates users: email, role, password length, duplicates, and never removes the last admin", async () => {
    const sql = db().sql;
    await expect(createUser(sql, { email: "not-an-email", role: "viewer", password: "long-enough-pw" })).rejects.toMatchObject({ code: "INVALID_EMAIL" });
    await expect(createUser(sql, { email: "r@example.com", role: "superuser", password: "long-enough-pw" })).rejects.toMatchObject({ code: "INVALID_ROLE" });
    await expect(createUser(sql, { email: "r@example.com", role: "viewer", password: "short" })).rejects.toMatchObject({ code: "WEAK_PASSWORD" });
    await createUser(sql, { email: "dup@example.com", role: "viewer", password: "long-enough-pw" });
    await expect(createUser(sql, { email: "DUP@example.com", role: "viewer", password: "long-enough-pw" })).rejects.toBeInstanceOf(UserInputError);

    await sql`update auth_user set role = 'viewer' where role = 'admin'`;
    const admin = await createUser(sql, { email: "only-admin@example.com", role: "admin", password: "long-enough-pw" });
    await expect(setUserRole(sql, admin.id, "viewer")).rejects.toMatchObject({ code: "LAST_ADMIN" });
    await expect(setUserDisabled(sql, admin.id, true)).rejects.toMatchObject({ code: "LAST_ADMIN" });
    await createUser(sql, { email: "second-admin@example.com", role: "admin", password: "long-enough-pw" });
    await expect(setUserRole(sql, admin.id, "viewer")).resolves.toMatchObject({ role: "viewer" });
  });
});

describe("cookies behind https", () => {
  it("marks the session cookie Secure when the public URL is https", async () => {
    const previous = process.env.FLOWPORT_PUBLIC_URL;
    process.env.FLOWPORT_PUBLIC_URL = "https://erp.example.com";
    resetEnvForTests();
    const handle = createAuth(db().url);
    try {
      await createUser(db().sql, { email: "secure@example.com", role: "viewer", password: "secure-password-1" });
      const response = await handle.auth.handler(
        new Request("https://erp.example.com/api/auth/sign-in/email", {
          method: "POST",
          headers: { "content-type": "application/json", origin: "https://erp.example.com", "x-forwarded-for": "10.4.0.1" },
          body: JSON.stringify({ email: "secure@example.com", password: "secure-password-1" }),
        }),
      );
      expect(response.status).toBe(200);
      const cookie = response.headers.getSetCookie().find((c) => c.includes("session_token="));
      expect(cookie).toMatch(/;\s*Secure/i);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/^__Secure-/);
    } finally {
      await handle.close();
      if (previous === undefined) delete process.env.FLOWPORT_PUBLIC_URL;
      else process.env.FLOWPORT_PUBLIC_URL = previous;
      resetEnvForTests();
    }
  });
});
