/** statusRules.*: defaults need settings.manage, per-flow overrides need flows.publish (they publish a version). */
import { describe, expect, it } from "vitest";
import { DEFAULT_STATUS_RULES } from "@/flows/format";
import { exampleFlowsSeeder } from "@/server/seed/example-flows";
import { seedOnFirstRun } from "@/server/seed";
import { useTestDatabase } from "@/server/testing/database";
import { callerAs, codeOf } from "../testing/caller";

const database = useTestDatabase();

describe("status rules router", () => {
  it("lets an admin change defaults and a flow's overrides, and no one else", async () => {
    await seedOnFirstRun(database(), [exampleFlowsSeeder]);
    const { sql } = database();
    const rules = { ...DEFAULT_STATUS_RULES, FAILED: { httpStatus: 422 } };
    for (const role of ["analyst", "operator", "viewer"] as const) {
      expect(await codeOf(callerAs(sql, role).statusRules.setDefaults({ rules }))).toBe("FORBIDDEN");
      expect(await codeOf(callerAs(sql, role).statusRules.setFlow({ slug: "vendor-master", rules }))).toBe("FORBIDDEN");
      expect(await codeOf(callerAs(sql, role).statusRules.get())).toBe("OK");
    }
    const admin = callerAs(sql, "admin");
    expect(await admin.statusRules.setDefaults({ rules: { ...DEFAULT_STATUS_RULES, SUCCESS: { httpStatus: 201, message: "Created" } } })).toMatchObject({ SUCCESS: { httpStatus: 201 } });
    const before = (await admin.statusRules.get()).flows.find((f) => f.slug === "vendor-master")!;
    const result = await admin.statusRules.setFlow({ slug: "vendor-master", rules });
    expect(result.version).toBe(before.publishedVersion! + 1);
    const after = (await admin.statusRules.get()).flows.find((f) => f.slug === "vendor-master")!;
    expect(after).toMatchObject({ overrides: ["FAILED"], effective: { SUCCESS: { httpStatus: 201 }, FAILED: { httpStatus: 422 } } });
    await expect(admin.statusRules.setDefaults({ rules: { ...rules, ERROR: { httpStatus: 700, message: "x" } } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const actions = await sql`select action, target from audit_log where actor_email = 'admin@example.com' order by id`;
    expect(actions.map((a) => a.action)).toEqual(["settings.status_rules_defaults_changed", "flow.status_rules_changed"]);
    const [version] = await sql`select published_by from flow_versions v join flows f on f.id = v.flow_id where f.slug = 'vendor-master' order by version desc limit 1`;
    expect(version?.published_by).toBe("admin"); // the name, as the console's own publishes show it
  });
});
