import { describe, expect, it } from "vitest";
import { loadExampleFlow } from "@/flows/examples";
import { recordExecution } from "../executions/record-execution";
import { useTestDatabase } from "../testing/database";
import { blankFlow, createFlow, duplicateFlow, SlugTakenError } from "./create-flow";
import { DraftConflictError, getDraft, saveDraftChecked } from "./draft";
import { flowActivity } from "./flow-activity";
import { systemActor } from "../audit/actor";
import { publishFlow } from "./publish-flow";
import { rollbackFlow } from "./rollback-flow";
import { listVersions } from "./versions";

const database = useTestDatabase();
const vendor = loadExampleFlow("vendor-master");

describe("flows as the designer edits them", () => {
  it("creates a blank flow once and refuses a taken slug", async () => {
    const { sql } = database();
    const created = await createFlow(sql, blankFlow({ slug: "vendor-onboarding", name: "Vendor onboarding", direction: "incoming" }), "Asha");
    expect(created).toEqual({ slug: "vendor-onboarding", draftRevision: 1 });
    await expect(createFlow(sql, blankFlow({ slug: "vendor-onboarding", name: "Other", direction: "incoming" }))).rejects.toBeInstanceOf(SlugTakenError);
    const draft = await getDraft(sql, "vendor-onboarding");
    expect(draft).toMatchObject({ draftRevision: 1, draftUpdatedBy: "Asha", publishedVersion: null, hasDraftChanges: true });
    expect(draft.flow.nodes).toEqual([]);
  });

  it("saves a draft only from the revision it was loaded at; a stale save names who saved last", async () => {
    const { sql } = database();
    await createFlow(sql, vendor);
    const first = await saveDraftChecked(sql, { ...vendor, name: "Vendor master A" }, { expectedRevision: 1, by: "Asha" });
    expect(first.draftRevision).toBe(2);
    const stale = saveDraftChecked(sql, { ...vendor, name: "Vendor master B" }, { expectedRevision: 1, by: "Ravi" });
    await expect(stale).rejects.toBeInstanceOf(DraftConflictError);
    await expect(stale).rejects.toMatchObject({ currentRevision: 2, updatedBy: "Asha" });
    expect((await getDraft(sql, "vendor-master")).flow.name).toBe("Vendor master A");
    await expect(saveDraftChecked(sql, { ...vendor, slug: "nope" }, { expectedRevision: 1, by: null })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("duplicates a flow under a new slug, its endpoint slug following", async () => {
    const { sql } = database();
    await duplicateFlow(sql, "vendor-master", { slug: "vendor-master-copy", name: "Vendor master (copy)" });
    const copy = (await getDraft(sql, "vendor-master-copy")).flow;
    expect(copy.name).toBe("Vendor master (copy)");
    expect(copy.nodes.find((n) => n.type === "trigger.http")?.config.slug).toBe("vendor-master-copy");
    await expect(duplicateFlow(sql, "vendor-master", { slug: "Bad Slug", name: "x" })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("lists versions with who published them and why, newest first, marking the one that runs", async () => {
    const { sql } = database();
    await publishFlow(sql, { slug: "vendor-master", note: "first" }, systemActor("Asha"));
    await saveDraftChecked(sql, { ...vendor, name: "Vendor master v2" }, { expectedRevision: 2, by: "Asha" });
    await publishFlow(sql, { slug: "vendor-master", note: "renamed" }, systemActor("Ravi"));
    await rollbackFlow(sql, { slug: "vendor-master", version: 1 }, systemActor("Ravi"));
    const versions = await listVersions(sql, "vendor-master");
    expect(versions.map((v) => [v.version, v.publishedBy, v.note, v.current])).toEqual([
      [2, "Ravi", "renamed", false],
      [1, "Asha", "first", true],
    ]);
    expect(await listVersions(sql, "vendor-onboarding")).toEqual([]);
    await expect(listVersions(sql, "missing")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("counts today's live successes and errors and finds the last run, ignoring dry runs", async () => {
    const { sql } = database();
    const now = Date.now();
    const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000);
    const base = { direction: "incoming" as const, flowSlug: "vendor-master", durationMs: 3 };
    await recordExecution(sql, { ...base, startedAt: at(3), status: "SUCCESS" });
    await recordExecution(sql, { ...base, startedAt: at(2), status: "FAILED", errorCode: "INVALID_GST" });
    await recordExecution(sql, { ...base, startedAt: at(1), status: "SUCCESS" });
    await recordExecution(sql, { ...base, startedAt: at(0), status: "ERROR", mode: "dry" });
    const activity = (await flowActivity(sql)).get("vendor-master")!;
    expect(activity.todaySuccess).toBe(2);
    expect(activity.todayErrors).toBe(1);
    expect(activity.lastStatus).toBe("SUCCESS");
    expect(activity.lastRunAt!.getTime()).toBeGreaterThan(at(1.5).getTime());
    expect((await flowActivity(sql)).has("vendor-onboarding")).toBe(false);
  });
});
