/** Return status rules as settings: defaults for every flow, per-flow overrides published as a version, over real HTTP. */
import { describe, expect, it } from "vitest";
import { DEFAULT_STATUS_RULES } from "@/flows/format";
import { effectiveStatusRules, statusRuleOverrides } from "@/flows/status-rules";
import { systemActor, userActor } from "@/server/audit/actor";
import { exportFlow, saveDraft } from "@/server/flows/repository";
import { getDraft } from "@/server/flows/draft";
import { openApiForPublishedFlows } from "@/server/incoming/openapi";
import { useTestDatabase } from "@/server/testing/database";
import { useIncomingTestServer } from "@/server/testing/incoming-server";
import { getDefaultStatusRules, listFlowStatusRules, setDefaultStatusRules, setFlowStatusRules } from "./status-rules";

const database = useTestDatabase();
const api = useIncomingTestServer(database);

let n = 5000;
const vendor = () => ({ vendorName: "Rules Co", gstNumber: `27ABCDE${n++}F1Z5`, mobile: "9876543210", email: "r@x.com", city: "Mumbai" });

describe("effectiveStatusRules", () => {
  it("reads a rule equal to the built-in one as 'follow the defaults'", () => {
    const defaults = { ...DEFAULT_STATUS_RULES, SUCCESS: { httpStatus: 201, message: "Created" } };
    const flow = { ...DEFAULT_STATUS_RULES, FAILED: { httpStatus: 422 } };
    expect(statusRuleOverrides(flow)).toEqual(["FAILED"]);
    expect(effectiveStatusRules(flow, defaults)).toEqual({ ...DEFAULT_STATUS_RULES, SUCCESS: { httpStatus: 201, message: "Created" }, FAILED: { httpStatus: 422 } });
  });
});

describe("status rule settings", () => {
  it("defaults apply to every flow without an override; an override publishes a version and wins", async () => {
    const { sql } = database();
    expect(await getDefaultStatusRules(sql)).toEqual(DEFAULT_STATUS_RULES);
    await expect(setDefaultStatusRules(sql, { SUCCESS: { httpStatus: 99 } })).rejects.toThrow(/Invalid return status rules: SUCCESS.httpStatus/);

    await setDefaultStatusRules(sql, { ...DEFAULT_STATUS_RULES, SUCCESS: { httpStatus: 201, message: "Vendor created" } });
    const created = await api.post("vendor-master", vendor());
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ status: "success", message: "Vendor created" });

    // The published contract documents the answer callers now get.
    const doc = await openApiForPublishedFlows(sql, "http://localhost");
    const responses = Object.entries(doc.paths).find(([path]) => path.endsWith("/vendor-master"))![1].post!.responses as Record<string, unknown>;
    expect(Object.keys(responses)).toContain("201");
    expect(Object.keys(responses)).not.toContain("200");

    const before = (await listFlowStatusRules(sql)).flows.find((f) => f.slug === "vendor-master")!;
    expect(before).toMatchObject({ overrides: [], hasDraftChanges: false, effective: { SUCCESS: { httpStatus: 201 } } });

    const result = await setFlowStatusRules(sql, { slug: "vendor-master", rules: { ...DEFAULT_STATUS_RULES, FAILED: { httpStatus: 422 } } }, systemActor("test"));
    expect(result.version).toBe(before.publishedVersion! + 1);
    const audited = await sql<{ actor_email: string; details: { version: number } }[]>`select actor_email, details from audit_log where action = 'flow.status_rules_changed' and target = 'vendor-master'`;
    expect(audited.map((r) => [r.actor_email, r.details.version])).toEqual([["test", result.version]]);
    const invalid = await api.post("vendor-master", { ...vendor(), gstNumber: "27ABC" });
    expect(invalid.status).toBe(422);
    expect((await api.post("vendor-master", vendor())).status).toBe(201); // SUCCESS still follows the defaults
    expect((await exportFlow(sql, "vendor-master")).statusRules.FAILED).toEqual({ httpStatus: 422 });

    // New defaults apply at once (they bump the incoming config version every process checks).
    await setDefaultStatusRules(sql, DEFAULT_STATUS_RULES);
    expect((await api.post("vendor-master", vendor())).status).toBe(200);
  });

  it("refuses to publish an override over unpublished draft edits", async () => {
    const { sql } = database();
    const draft = await exportFlow(sql, "lead-enquiry");
    await saveDraft(sql, { ...draft, description: "work in progress" });
    await expect(setFlowStatusRules(sql, { slug: "lead-enquiry", rules: DEFAULT_STATUS_RULES }, systemActor("test"))).rejects.toThrow(/unpublished draft changes/);
    await expect(setFlowStatusRules(sql, { slug: "no-such-flow", rules: DEFAULT_STATUS_RULES }, systemActor("test"))).rejects.toThrow(/No flow with slug/);
  });

  it("is one transaction with its audit row: a publish refused by the catalogue leaves draft, versions and audit log as they were", async () => {
    const { sql } = database();
    // An outgoing example the seed published; its connection (accounting-system) is not in this
    // database (as if deleted since), so a person's publish of it is refused by the catalogue check.
    const slug = "invoice-to-accounting";
    expect(await sql`select 1 from connections where name = 'accounting-system'`).toHaveLength(0);
    const before = await getDraft(sql, slug);
    const versionsBefore = await sql`select version from flow_versions v join flows f on f.id = v.flow_id where f.slug = ${slug}`;
    const admin = userActor({ id: "u-admin", email: "admin@flowport.local", name: "Admin" });
    await expect(setFlowStatusRules(sql, { slug, rules: { ...DEFAULT_STATUS_RULES, FAILED: { httpStatus: 422 } } }, admin)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    const after = await getDraft(sql, slug);
    expect(after.draftRevision).toBe(before.draftRevision);
    expect(after.flow).toEqual(before.flow);
    expect(await sql`select version from flow_versions v join flows f on f.id = v.flow_id where f.slug = ${slug}`).toHaveLength(versionsBefore.length);
    expect(await sql`select 1 from audit_log where action = 'flow.status_rules_changed' and target = ${slug}`).toHaveLength(0);
  });
});
