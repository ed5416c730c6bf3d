import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { loadExampleFlow } from "@/flows/examples";
import { parseFlow } from "@/flows/format";
import type { Role } from "@/server/auth/permissions";
import { createClient } from "@/server/incoming/clients";
import { useTestDatabase } from "@/server/testing/database";
import { createCallerFactory, createContext } from "../init";
import { appRouter } from "../root";

const db = useTestDatabase();
const as = (role: Role, name = `${role} user`) =>
  createCallerFactory(appRouter)(createContext({ sql: db().sql, user: { id: `u-${role}`, email: `${role}@flowport.local`, name, role } }));
const codeOf = (promise: Promise<unknown>) => promise.then(() => "OK", (e: unknown) => (e instanceof TRPCError ? e.code : String(e)));

const vendor = loadExampleFlow("vendor-master");

describe("flows router", () => {
  it("an analyst creates a blank flow and autosaves it; a stale save is a CONFLICT naming who saved", async () => {
    const analyst = as("analyst", "Asha");
    await analyst.flows.create({ kind: "blank", direction: "incoming", name: "Vendor onboarding", slug: "vendor-onboarding" });
    const opened = await analyst.flows.get({ slug: "vendor-onboarding" });
    expect(opened).toMatchObject({ draftRevision: 1, publishedVersion: null, latestVersion: 0 });
    // The map node is not connected yet: a draft may be incomplete, a published version may not.
    const withTrigger = parseFlow({ ...opened.flow, nodes: [vendor.nodes[0], vendor.nodes[2]] });
    const saved = await analyst.flows.save({ flow: withTrigger, expectedRevision: 1 });
    expect(saved.draftRevision).toBe(2);

    const other = as("admin", "Ravi");
    const stale = other.flows.save({ flow: { ...withTrigger, name: "Ravi's name" }, expectedRevision: 1 });
    await expect(stale).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("Asha") });
    const overwritten = await other.flows.save({ flow: { ...withTrigger, name: "Ravi's name" }, expectedRevision: 1, overwrite: true });
    expect(overwritten.draftRevision).toBe(3);
    expect((await analyst.flows.get({ slug: "vendor-onboarding" })).flow.name).toBe("Ravi's name");
    expect(await codeOf(analyst.flows.create({ kind: "blank", direction: "incoming", name: "Again", slug: "vendor-onboarding" }))).toBe("CONFLICT");
    expect(await codeOf(analyst.flows.get({ slug: "no-such-flow" }))).toBe("NOT_FOUND");
  });

  it("only publishers publish; a draft with problems is refused with what to fix", async () => {
    expect(await codeOf(as("analyst").flows.publish({ slug: "vendor-onboarding", note: "" }))).toBe("FORBIDDEN");
    const refused = as("admin").flows.publish({ slug: "vendor-onboarding", note: "half done" });
    await expect(refused).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("map: Not connected to the trigger") });
  });

  it("publishes with a note as numbered versions, audited; rollback makes an older version run again", async () => {
    const admin = as("admin", "Ravi");
    await admin.flows.import({ flow: vendor });
    const v1 = await admin.flows.publish({ slug: "vendor-master", note: "first cut", expectedRevision: 1 });
    expect(v1).toMatchObject({ version: 1, unchanged: false });
    const renamed = await admin.flows.save({ flow: { ...vendor, name: "Vendor master 2" }, expectedRevision: 1 });
    expect(await codeOf(admin.flows.publish({ slug: "vendor-master", note: "stale", expectedRevision: 1 }))).toBe("CONFLICT");
    expect(await admin.flows.publish({ slug: "vendor-master", note: "renamed", expectedRevision: renamed.draftRevision })).toMatchObject({ version: 2 });
    await admin.flows.rollback({ slug: "vendor-master", version: 1 });
    // The draft is v1 again: nothing to publish, and v2 is not re-shipped.
    expect(await admin.flows.get({ slug: "vendor-master" })).toMatchObject({ publishedVersion: 1, hasDraftChanges: false, flow: { name: vendor.name } });
    expect(await admin.flows.publish({ slug: "vendor-master", note: "again" })).toMatchObject({ version: 1, unchanged: true });
    const versions = await as("viewer").flows.versions({ slug: "vendor-master" });
    expect(versions.map((v) => [v.version, v.note, v.publishedBy, v.current])).toEqual([
      [2, "renamed", "Ravi", false],
      [1, "first cut", "Ravi", true],
    ]);
    expect(await codeOf(admin.flows.rollback({ slug: "vendor-master", version: 9 }))).toBe("NOT_FOUND");
    const audit = await db().sql<{ action: string; target: string; details: Record<string, unknown> }[]>`
      select action, target, details from audit_log where action like 'flow.%' and target = 'vendor-master' order by id`;
    expect(audit.map((a) => [a.action, a.details.version ?? null])).toEqual([
      ["flow.imported", null],
      ["flow.published", 1],
      ["flow.published", 2],
      ["flow.rolled_back", 1],
    ]);
    const v2 = await admin.flows.file({ slug: "vendor-master", version: 2 });
    expect(v2.fileName).toBe("vendor-master.v2.flow.json");
    expect(parseFlow(v2.text).name).toBe("Vendor master 2");
  });

  it("lists flows with their state and today's runs, and duplicates and imports without overwriting", async () => {
    const analyst = as("analyst");
    await analyst.flows.duplicate({ from: "vendor-master", slug: "vendor-master-b", name: "Vendor master B" });
    expect(await codeOf(analyst.flows.import({ flow: vendor }))).toBe("CONFLICT");
    await analyst.flows.import({ flow: { ...vendor, description: "replaced" }, replaceDraft: true });
    // A file exported here imports back as a new flow under another slug; its endpoint trigger follows.
    await analyst.flows.import({ flow: vendor, as: { slug: "vendor-master-imported", name: "Vendor master (imported)" } });
    const imported = (await analyst.flows.get({ slug: "vendor-master-imported" })).flow;
    expect(imported.name).toBe("Vendor master (imported)");
    expect(imported.nodes.find((n) => n.type === "trigger.http")?.config.slug).toBe("vendor-master-imported");
    expect(await codeOf(analyst.flows.import({ flow: vendor, as: { slug: "vendor-master-imported", name: "Again" } }))).toBe("CONFLICT");
    expect(await codeOf(analyst.flows.import({ flow: vendor, as: { slug: "Not A Slug", name: "Bad" } }))).toBe("BAD_REQUEST");
    const list = await as("viewer").flows.list();
    const row = list.find((f) => f.slug === "vendor-master")!;
    expect(row).toMatchObject({ publishedVersion: 1, hasDraftChanges: true, todaySuccess: 0, todayErrors: 0, lastRunAt: null });
    expect(list.find((f) => f.slug === "vendor-master-b")).toMatchObject({ publishedVersion: null, name: "Vendor master B" });
  });

  it("describes an incoming endpoint: URL, curl, the clients allowed and the OpenAPI anchor, never a secret", async () => {
    await createClient(db().sql, { name: "acme", flowScopes: ["vendor-master"], credentialKind: "api_key" });
    await createClient(db().sql, { name: "other", flowScopes: ["lead-enquiry"], credentialKind: "api_key" });
    const endpoint = await as("viewer").flows.endpoint({ slug: "vendor-master" });
    expect(endpoint.url).toMatch(/\/api\/v1\/integration\/incoming\/vendor-master$/);
    expect(endpoint.curl).toContain("x-api-key: <your API key>");
    // The seed sample's {{unique}} GSTIN is resolved afresh: a copied curl saves a new vendor.
    expect(endpoint.curl).not.toContain("{{");
    const gst = /"gstNumber":"(\w{15})"/.exec(endpoint.curl)?.[1];
    expect(gst).toMatch(/^\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/);
    expect((await as("viewer").flows.endpoint({ slug: "vendor-master" })).curl).not.toContain(gst);
    expect(endpoint.docsHref).toBe("/api-docs#vendorMaster");
    expect(endpoint.clients.map((c) => c.name)).toEqual(["acme"]);
    expect(endpoint.clients[0]!.credentials[0]!.masked).toMatch(/_••••$/);
    expect(await codeOf(as("viewer").flows.catalog())).toBe("OK");
  });
});
