/**
 * The role table, enforced: every tRPC procedure is called as every role and
 * signed out. A role without the procedure's permission gets FORBIDDEN (before
 * the input is parsed, so nothing runs); one with it never does; signed out gets
 * UNAUTHORIZED. New routers are covered the moment they join the app router.
 */
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { can, ROLES, type Role } from "@/server/auth/permissions";
import { useTestDatabase } from "@/server/testing/database";
import { createCallerFactory, createContext, type Meta } from "./init";
import { appRouter } from "./root";

const db = useTestDatabase();

interface ProcedureEntry {
  path: string;
  type: "query" | "mutation" | "subscription";
  meta: Meta | undefined;
}

function allProcedures(): ProcedureEntry[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureEntry["type"]; meta?: Meta } }>;
  return Object.entries(procedures).map(([path, p]) => ({ path, type: p._def.type, meta: p._def.meta }));
}

const PUBLIC = new Set(["session.me"]);

async function callAs(role: Role | null, path: string): Promise<string> {
  const caller = createCallerFactory(appRouter)(
    createContext({
      sql: db().sql,
      user: role ? { id: `test-${role}`, email: `${role}@example.com`, name: role, role } : null,
    }),
  );
  let target: unknown = caller;
  for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
  try {
    // Deliberately no input: allowed roles fail input validation (or run a harmless read); nothing else.
    await (target as (input?: unknown) => Promise<unknown>)(undefined);
    return "OK";
  } catch (error) {
    return error instanceof TRPCError ? error.code : `THREW ${(error as Error).name}`;
  }
}

describe("tRPC role table", () => {
  const procedures = allProcedures();

  it("guards every procedure except session.* with a permission", () => {
    expect(procedures.length).toBeGreaterThan(0);
    const unguarded = procedures.filter((p) => !PUBLIC.has(p.path) && !p.meta?.permission).map((p) => p.path);
    expect(unguarded).toEqual([]);
  });

  for (const procedure of procedures.filter((p) => !PUBLIC.has(p.path))) {
    it(`${procedure.path} (${procedure.meta?.permission}) answers each role as the table says`, async () => {
      const permission = procedure.meta!.permission!;
      expect(await callAs(null, procedure.path)).toBe("UNAUTHORIZED");
      for (const role of ROLES) {
        const outcome = await callAs(role, procedure.path);
        if (can(role, permission)) expect(outcome, `${role} may ${permission}`).not.toMatch(/^(FORBIDDEN|UNAUTHORIZED)$/);
        else expect(outcome, `${role} may not ${permission}`).toBe("FORBIDDEN");
      }
    });
  }

  it("session.me answers signed out and signed in with the role's permissions", async () => {
    const caller = (role: Role | null) =>
      createCallerFactory(appRouter)(
        createContext({ sql: db().sql, user: role ? { id: "x", email: "x@example.com", name: "x", role } : null }),
      );
    expect(await caller(null).session.me()).toEqual({ user: null, permissions: [] });
    const analyst = await caller("analyst").session.me();
    expect(analyst.permissions).toContain("flows.edit");
    expect(analyst.permissions).not.toContain("flows.publish");
    expect(analyst.permissions).not.toContain("credentials.manage");
    const viewer = await caller("viewer").session.me();
    expect(viewer.permissions).not.toContain("deliveries.retry");
    expect((await caller("admin").session.me()).permissions.length).toBeGreaterThan(analyst.permissions.length);
  });
});

describe("the role table itself (issue 7)", () => {
  it("matches the documented roles", () => {
    expect(can("analyst", "flows.edit") && can("analyst", "flows.test")).toBe(true);
    expect(can("analyst", "flows.publish") || can("analyst", "credentials.manage")).toBe(false);
    expect(can("operator", "logs.replay") && can("operator", "deliveries.retry") && can("operator", "records.send")).toBe(true);
    expect(can("operator", "flows.edit") || can("operator", "flows.publish")).toBe(false);
    expect(ROLES.filter((r) => r !== "admin").some((r) => can(r, "users.manage"))).toBe(false);
    expect(["deliveries.retry", "flows.edit", "records.write", "records.send", "logs.replay"].some((p) => can("viewer", p as never))).toBe(false);
  });
});
