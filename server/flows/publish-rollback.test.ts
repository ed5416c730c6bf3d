/**
 * Publish and rollback, defined once (./publish-flow.ts, ./rollback-flow.ts): one transaction under
 * the flow's row lock with its checks and audit row, whichever door they are called through (the
 * console's procedures and the CLI's handlers are exercised here too). Real PostgreSQL, real HTTP.
 */
import os from "node:os";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import type { FlowFile } from "@/flows/format";
import { userActor } from "@/server/audit/actor";
import { importCommand, publishCommand, rollbackCommand } from "@/server/cli/commands/flows";
import { useTestDatabase } from "@/server/testing/database";
import { useIncomingTestServer } from "@/server/testing/incoming-server";
import { getDraft, saveDraftChecked } from "./draft";
import { lockFlow } from "./lock-flow";
import { publishFlow } from "./publish-flow";
import { checksumOf, exportFlow, getPublishedFlow, listFlows } from "./repository";
import { rollbackFlow } from "./rollback-flow";
import { listVersions } from "./versions";

const database = useTestDatabase();
const api = useIncomingTestServer(database);

const admin = userActor({ id: "u-admin", email: "ravi@flowport.local", name: "Ravi" });
let n = 6000;
const vendor = () => ({ vendorName: "Rollback Co", gstNumber: `27ABCDE${n++}F1Z5`, mobile: "9876543210", email: "r@x.com", city: "Mumbai" });

/** The draft with the SUCCESS answer's message changed: a change the endpoint's answer shows. */
const withSuccessMessage = (flow: FlowFile, message: string): FlowFile => ({ ...flow, statusRules: { ...flow.statusRules, SUCCESS: { ...flow.statusRules.SUCCESS, message } } });

async function counts(slug: string) {
  const { sql } = database();
  const [row] = await sql<{ versions: number; audits: number; published: number | null }[]>`
    select (select count(*)::int from flow_versions v where v.flow_id = f.id) as versions,
           (select count(*)::int from audit_log a where a.target = f.slug and a.action in ('flow.published', 'flow.rolled_back')) as audits,
           f.published_version as published
    from flows f where f.slug = ${slug}`;
  return row!;
}

/** Saves a change to the draft as the designer does (optimistic revision check); returns the new revision. */
async function edit(slug: string, change: (flow: FlowFile) => FlowFile): Promise<number> {
  const draft = await getDraft(database().sql, slug);
  return (await saveDraftChecked(database().sql, change(draft.flow), { expectedRevision: draft.draftRevision, by: "Asha" })).draftRevision;
}

describe("publishFlow", () => {
  it("refuses a stale expectedRevision inside its transaction and writes nothing: no version, no audit row", async () => {
    const { sql } = database();
    const opened = await getDraft(sql, "lead-enquiry");
    const revision = await edit("lead-enquiry", (f) => ({ ...f, description: "saved by Asha after Ravi opened it" }));
    const before = await counts("lead-enquiry");
    const stale = publishFlow(sql, { slug: "lead-enquiry", expectedRevision: opened.draftRevision, note: "stale" }, admin);
    await expect(stale).rejects.toMatchObject({ code: "DRAFT_CONFLICT", message: expect.stringContaining("Asha") });
    expect(await counts("lead-enquiry")).toEqual(before);

    const published = await publishFlow(sql, { slug: "lead-enquiry", expectedRevision: revision, note: "fresh" }, admin);
    expect(published).toMatchObject({ version: before.versions + 1, unchanged: false });
    const [audit] = await sql<{ actor_id: string; actor_email: string; details: { version: number; note: string } }[]>`
      select actor_id, actor_email, details from audit_log where action = 'flow.published' and target = 'lead-enquiry' order by id desc limit 1`;
    expect(audit).toMatchObject({ actor_id: "u-admin", actor_email: "ravi@flowport.local", details: { version: published.version, note: "fresh" } });
  });

  it("two publishes of the same draft at once make exactly one new version (the other finds nothing to publish)", async () => {
    const { sql } = database();
    await edit("lead-enquiry", (f) => ({ ...f, description: "published twice at once" }));
    const before = await counts("lead-enquiry");
    const results = await Promise.all([publishFlow(sql, { slug: "lead-enquiry" }, admin), publishFlow(sql, { slug: "lead-enquiry" }, admin)]);
    expect(results.map((r) => r.version)).toEqual([before.versions + 1, before.versions + 1]);
    expect(results.map((r) => r.unchanged).sort()).toEqual([false, true]);
    expect(await counts("lead-enquiry")).toEqual({ versions: before.versions + 1, audits: before.audits + 1, published: before.versions + 1 });
  });

  it("checks connection names against the catalogue for people, so the CLI refuses what the console refuses", async () => {
    // invoice-to-accounting names the accounting-system connection, which this database does not hold.
    const { sql } = database();
    const before = await counts("invoice-to-accounting");
    await expect(publishCommand(sql, "invoice-to-accounting", {})).rejects.toMatchObject({ code: "VALIDATION_FAILED", message: expect.stringContaining("accounting-system") });
    await expect(publishFlow(sql, { slug: "invoice-to-accounting" }, admin)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    expect(await counts("invoice-to-accounting")).toEqual(before);
  });
});

describe("rollbackFlow", () => {
  it("makes v1 run again and the draft v1, so the flows list shows no draft changes and the next Publish has nothing to publish", async () => {
    const { sql } = database();
    const v1 = await exportFlow(sql, "vendor-master", { version: 1 });
    expect((await api.post("vendor-master", vendor())).json).toMatchObject({ status: "success", message: "Record saved successfully" });
    const revision = await edit("vendor-master", (f) => withSuccessMessage(f, "Vendor registered (v2)"));
    expect(await publishFlow(sql, { slug: "vendor-master", expectedRevision: revision, note: "friendlier" }, admin)).toMatchObject({ version: 2, unchanged: false });
    expect((await api.post("vendor-master", vendor())).json).toMatchObject({ message: "Vendor registered (v2)" });

    const rolledBack = await rollbackFlow(sql, { slug: "vendor-master", version: 1, note: "v2 confuses callers" }, admin);
    expect(rolledBack).toMatchObject({ version: 1, previousVersion: 2, draftRevision: revision + 1 });

    // What the endpoint runs and answers.
    expect((await getPublishedFlow(sql, "vendor-master"))!.version).toBe(1);
    expect((await api.post("vendor-master", vendor())).json).toMatchObject({ status: "success", message: "Record saved successfully" });
    // The draft is v1, saved "by" the one who rolled back: an editor open on revision N sees someone else's save.
    const draft = await getDraft(sql, "vendor-master");
    expect(checksumOf(draft.flow)).toBe(checksumOf(v1));
    expect(draft).toMatchObject({ draftRevision: revision + 1, draftUpdatedBy: "Ravi", publishedVersion: 1, latestVersion: 2, hasDraftChanges: false });
    await expect(saveDraftChecked(sql, withSuccessMessage(draft.flow, "stale editor"), { expectedRevision: revision, by: "Asha" })).rejects.toMatchObject({ code: "DRAFT_CONFLICT" });
    expect((await listFlows(sql)).find((f) => f.slug === "vendor-master")).toMatchObject({ publishedVersion: 1, hasDraftChanges: false });
    expect((await listVersions(sql, "vendor-master")).map((v) => [v.version, v.current])).toEqual([
      [2, false],
      [1, true],
    ]);
    // Publish without edits: nothing to publish, v2 is not re-shipped.
    expect(await publishFlow(sql, { slug: "vendor-master" }, admin)).toEqual({ slug: "vendor-master", version: 1, unchanged: true });
    expect(await counts("vendor-master")).toMatchObject({ versions: 2, published: 1 });
    const [audit] = await sql<{ actor_email: string; details: Record<string, unknown> }[]>`
      select actor_email, details from audit_log where action = 'flow.rolled_back' and target = 'vendor-master' order by id desc limit 1`;
    expect(audit).toEqual({ actor_email: "ravi@flowport.local", details: { version: 1, from: 2, note: "v2 confuses callers" } });

    await expect(rollbackFlow(sql, { slug: "vendor-master", version: 9 }, admin)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(rollbackFlow(sql, { slug: "no-such-flow", version: 1 }, admin)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("waits for the flow's row lock, so a publish and a rollback at the same moment run one after the other", async () => {
    const { sql } = database();
    await edit("vendor-master", (f) => withSuccessMessage(f, "Vendor registered (v3)"));
    const other = postgres(database().url, { max: 1, onnotice: () => undefined });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = other.begin(async (tx) => {
      await lockFlow(tx, "vendor-master");
      locked();
      await released;
    });
    try {
      await isLocked;
      const settled: string[] = [];
      const publish = publishFlow(sql, { slug: "vendor-master" }, admin).then((r) => {
        settled.push("publish");
        return r;
      });
      const rollback = rollbackFlow(sql, { slug: "vendor-master", version: 1 }, admin).then(() => settled.push("rollback"));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toEqual([]);
      release();
      await holder;
      const [published] = await Promise.all([publish, rollback]);
      // Either order ends the same way: v1 runs and is the draft. Publish-then-rollback made v3
      // first; rollback-then-publish found nothing to publish.
      const live = (await getPublishedFlow(sql, "vendor-master"))!;
      expect(live.version).toBe(1);
      const draft = await getDraft(sql, "vendor-master");
      expect(draft.hasDraftChanges).toBe(false);
      expect(published.unchanged).toBe(settled[0] === "rollback");
    } finally {
      release();
      await holder.catch(() => undefined);
      await other.end({ timeout: 5 });
    }
  });
});

describe("the CLI publishes and rolls back through the same operations", () => {
  it("leaves audit rows and version authors naming cli:<os user>", async () => {
    const { sql } = database();
    const cli = `cli:${os.userInfo().username}`;
    const flow = await exportFlow(sql, "lead-enquiry");
    const imported = await importCommand(sql, [{ ...flow, description: "from git" }], { publish: true });
    const version = (imported.data.flows as { publishedVersion: number }[])[0]!.publishedVersion;
    expect(await publishCommand(sql, "lead-enquiry", {})).toMatchObject({ data: { ok: true, version, unchanged: true } });
    const rolled = await rollbackCommand(sql, "lead-enquiry", String(version - 1), { note: "undo the import" });
    expect(rolled.human).toBe(`lead-enquiry: v${version - 1} runs again (was v${version}); the draft is v${version - 1}`);
    await expect(rollbackCommand(sql, "lead-enquiry", "latest", {})).rejects.toMatchObject({ code: "VALIDATION_FAILED" });

    const audits = await sql<{ action: string; actor_id: string | null; actor_email: string; details: { version: number } }[]>`
      select action, actor_id, actor_email, details from audit_log where target = 'lead-enquiry' and actor_email like 'cli:%' order by id`;
    expect(audits.map((a) => [a.action, a.actor_id, a.actor_email, a.details.version])).toEqual([
      ["flow.imported", null, cli, undefined],
      ["flow.published", null, cli, version],
      ["flow.rolled_back", null, cli, version - 1],
    ]);
    expect((await listVersions(sql, "lead-enquiry"))[0]).toMatchObject({ version, publishedBy: cli, current: false });
    expect((await getDraft(sql, "lead-enquiry")).hasDraftChanges).toBe(false);
    // Import without --publish saves the draft and is audited all the same; nothing is published.
    const draftOnly = await importCommand(sql, [{ ...flow, description: "draft from git" }], {});
    expect(draftOnly.data.flows).toEqual([expect.objectContaining({ slug: "lead-enquiry", created: false, publishedVersion: undefined })]);
    const [importAudit] = await sql<{ actor_email: string; details: Record<string, unknown> }[]>`
      select actor_email, details from audit_log where action = 'flow.imported' and target = 'lead-enquiry' order by id desc limit 1`;
    expect(importAudit).toEqual({ actor_email: cli, details: { replaceDraft: true, draftRevision: expect.any(Number) } });
    expect((await listVersions(sql, "lead-enquiry"))[0]).toMatchObject({ version });
    // The first-start seed publishes as the system, under its own name.
    expect((await listVersions(sql, "lead-enquiry")).at(-1)).toMatchObject({ version: 1, publishedBy: "seed" });
  });
});
