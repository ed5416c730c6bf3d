import { afterAll, describe, expect, it } from "vitest";
import { closeAuth } from "../../auth/process-auth";
import { cliActorName } from "../../audit/actor";
import { useTestDatabase } from "../../testing/database";
import { createUserCommand, listUsersCommand, setRoleCommand } from "./users";

const db = useTestDatabase();
afterAll(() => closeAuth());

describe("flowport users", () => {
  it("creates a user with a role, generating a password shown once, and audits it", async () => {
    const answer = await createUserCommand(db().sql, { email: "ops@example.com", role: "operator" });
    expect(answer.data).toMatchObject({ user: { email: "ops@example.com", role: "operator", disabled: false } });
    const password = (answer.data as { password: string }).password;
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(answer.human).toContain(password);
    expect(JSON.stringify((await listUsersCommand(db().sql)).data)).not.toContain(password);
    const [audit] = await db().sql`select action, target, actor_id, actor_email, details from audit_log where action = 'user.created'`;
    expect(audit).toMatchObject({ target: "ops@example.com", actor_id: null, actor_email: cliActorName(), details: { role: "operator" } });
  });

  it("refuses an unknown role with the list of roles", async () => {
    await expect(createUserCommand(db().sql, { email: "x@example.com", role: "root", password: "long-enough-pw" })).rejects.toThrow(
      /admin, analyst, operator, viewer/,
    );
  });

  it("changes a role by email", async () => {
    await createUserCommand(db().sql, { email: "later@example.com", role: "viewer", password: "long-enough-pw" });
    const answer = await setRoleCommand(db().sql, "LATER@example.com", "analyst");
    expect(answer.data).toMatchObject({ user: { role: "analyst" } });
    await expect(setRoleCommand(db().sql, "nobody@example.com", "viewer")).rejects.toMatchObject({ code: "USER_NOT_FOUND" });
    const [audit] = await db().sql`select actor_email, details from audit_log where action = 'user.role_changed' and target = 'later@example.com'`;
    expect(audit).toEqual({ actor_email: cliActorName(), details: { role: "analyst" } });
  });
});
