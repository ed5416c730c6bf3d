/** users.* (users.manage) and audit.* (audit.read): who may sign in with which role, and who did what. */
import { afterAll, describe, expect, it } from "vitest";
import { closeAuth } from "@/server/auth/process-auth";
import { recordAudit } from "@/server/audit/audit-log";
import { useTestDatabase } from "@/server/testing/database";
import { callerAs, codeOf } from "../testing/caller";

const database = useTestDatabase();
afterAll(() => closeAuth());

describe("users router", () => {
  it("creates users with a role (a generated password shown once), changes roles, disables; only for users.manage", async () => {
    const { sql } = database();
    for (const role of ["analyst", "operator", "viewer"] as const) expect(await codeOf(callerAs(sql, role).users.list())).toBe("FORBIDDEN");
    const first = await callerAs(sql, "admin").users.create({ email: "Boss@Example.com", role: "admin", password: "a-long-password-1" });
    const admin = callerAs(sql, "admin", first.user.id);
    expect(first).toEqual({ user: expect.objectContaining({ email: "boss@example.com", role: "admin", disabled: false }) });

    const created = await admin.users.create({ email: "ops@example.com", role: "operator" });
    expect(created.generatedPassword).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const [account] = await sql<{ password: string }[]>`select a.password from auth_account a where a.user_id = ${created.user.id}`;
    expect(account!.password).not.toContain(created.generatedPassword);
    expect(JSON.stringify(await admin.users.list())).not.toContain(account!.password);

    expect(await admin.users.setRole({ id: created.user.id, role: "viewer" })).toMatchObject({ role: "viewer" });
    expect(await admin.users.setDisabled({ id: created.user.id, disabled: true })).toMatchObject({ disabled: true });
    await expect(admin.users.setDisabled({ id: first.user.id, disabled: true })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "You cannot disable yourself" });
    await expect(admin.users.setRole({ id: first.user.id, role: "viewer" })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/last active admin/) });
    await expect(admin.users.create({ email: "ops@example.com", role: "viewer" })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(admin.users.create({ email: "short@example.com", role: "viewer", password: "short" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await codeOf(admin.users.setRole({ id: "nobody", role: "viewer" }))).toBe("NOT_FOUND");

    const trail = await sql<{ action: string; target: string }[]>`select action, target from audit_log where action like 'user.%' order by id`;
    expect(trail.map((t) => `${t.action} ${t.target}`)).toEqual([
      "user.created boss@example.com",
      "user.created ops@example.com",
      "user.role_changed ops@example.com",
      "user.disabled ops@example.com",
    ]);
    expect(JSON.stringify(await sql`select details from audit_log`)).not.toContain(created.generatedPassword);
  });
});

describe("audit router", () => {
  it("filters by action family, actor, target and time, and pages by keyset without gaps", async () => {
    const { sql } = database();
    await sql`delete from audit_log`;
    for (let i = 0; i < 120; i++) {
      await recordAudit(sql, { actorId: "u1", actorEmail: i % 3 ? "ana@example.com" : "ravi@example.com", action: i % 2 ? "client.key_issued" : "flow.published", target: `target-${i}` });
    }
    for (const role of ["analyst", "operator", "viewer"] as const) expect(await codeOf(callerAs(sql, role).audit.list({}))).toBe("FORBIDDEN");
    const admin = callerAs(sql, "admin");
    const ids: number[] = [];
    let cursor: number | undefined;
    do {
      const page = await admin.audit.list({ limit: 50, cursor });
      ids.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
    expect(ids).toEqual([...ids].sort((a, b) => b - a)); // newest first

    expect((await admin.audit.list({ action: "client.", limit: 200 })).items).toHaveLength(60);
    expect((await admin.audit.list({ action: "flow.published", actor: "ravi", limit: 200 })).items).toHaveLength(20);
    expect((await admin.audit.list({ target: "target-11" })).items.map((e) => e.target).sort()).toEqual(["target-11", "target-110", "target-111", "target-112", "target-113", "target-114", "target-115", "target-116", "target-117", "target-118", "target-119"]);
    expect((await admin.audit.list({ from: new Date(Date.now() + 60_000).toISOString() })).items).toEqual([]);
    expect(await admin.audit.actions()).toEqual(["client.key_issued", "flow.published"]);
    expect(await codeOf(admin.audit.list({ from: "yesterday" }))).toBe("BAD_REQUEST");
  });
});
