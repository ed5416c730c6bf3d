import { resolveSample } from "@/flows/samples/generators";
import { describe, expect, it } from "vitest";
import { parseFlow, serializeFlow } from "@/flows/format";
import { useTestDatabase } from "../testing/database";
import { seedOnFirstRun } from "../seed";
import { erpDemoSeeder } from "../seed/erp-demo";
import { exampleFlowsSeeder } from "../seed/example-flows";
import { EXAMPLES_DIR, readFlowFiles } from "./files";
import { systemActor } from "../audit/actor";
import { publishFlow } from "./publish-flow";
import { exportFlow, getPublishedFlow, listFlows, saveDraft } from "./repository";
import { rollbackFlow } from "./rollback-flow";
import { dryRunFlow } from "./dry-run";
import { testFlowSamples } from "./sample-tests";

const database = useTestDatabase();
const examples = readFlowFiles(EXAMPLES_DIR);
const vendorMaster = examples.find((e) => e.flow.slug === "vendor-master")!.flow;
const actor = systemActor("test");

describe("flows in the database", () => {
  it("seeds and publishes every example flow as v1", async () => {
    const { sql } = database();
    await seedOnFirstRun(database(), [erpDemoSeeder, exampleFlowsSeeder]);
    const list = await listFlows(sql);
    expect(list.map((f) => f.slug).sort()).toEqual(examples.map((e) => e.flow.slug).sort());
    for (const flow of list) {
      expect(flow.publishedVersion, flow.slug).toBe(1);
      expect(flow.hasDraftChanges, flow.slug).toBe(false);
    }
  });

  it("exports exactly the file that was imported", async () => {
    const { sql } = database();
    for (const { file, flow } of examples) {
      const exported = await exportFlow(sql, flow.slug);
      expect(serializeFlow(exported), file).toBe(serializeFlow(flow));
    }
  });

  it("numbers published versions, keeps them immutable, and rolls back to an older one", async () => {
    const { sql } = database();
    const changed = parseFlow({ ...vendorMaster, name: "Vendor master (v2)" });
    await saveDraft(sql, changed);
    expect((await listFlows(sql)).find((f) => f.slug === "vendor-master")!.hasDraftChanges).toBe(true);
    expect(await publishFlow(sql, { slug: "vendor-master" }, actor)).toMatchObject({ version: 2, unchanged: false });
    expect(await publishFlow(sql, { slug: "vendor-master" }, actor)).toMatchObject({ version: 2, unchanged: true });
    expect((await getPublishedFlow(sql, "vendor-master"))!.definition.name).toBe("Vendor master (v2)");

    await expect(sql`update flow_versions set checksum = 'x'`).rejects.toThrow(/immutable/);
    await rollbackFlow(sql, { slug: "vendor-master", version: 1 }, actor);
    expect((await getPublishedFlow(sql, "vendor-master"))!.definition.name).toBe(vendorMaster.name);
    expect((await exportFlow(sql, "vendor-master", { version: 2 })).name).toBe("Vendor master (v2)");
  });

  it("refuses to publish a draft with graph errors, naming the node", async () => {
    const { sql } = database();
    const broken = parseFlow({ ...vendorMaster, slug: "broken-vendor", edges: [] });
    await saveDraft(sql, broken);
    await expect(publishFlow(sql, { slug: "broken-vendor" }, actor)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("dry-runs the seed's sample against the real database: SUCCESS with the mapped record, nothing saved", async () => {
    const { sql } = database();
    // The shipped sample's gstNumber is {{unique}}: a new GSTIN each run.
    const { sample } = resolveSample(vendorMaster.samples[0]!);
    const before = await sql`select count(*)::int as n from records where entity = 'Vendor'`;
    const result = await dryRunFlow(sql, vendorMaster, sample);
    expect(result.outcome).toBe("SUCCESS");
    expect(result.recordId).toMatch(/^VEND-/);
    expect(result.record).toMatchObject({ Vendor_Name: "ABC Suppliers", GST_No: (sample.payload as { gstNumber: string }).gstNumber, City: "Mumbai" });
    const after = await sql`select count(*)::int as n from records where entity = 'Vendor'`;
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it("every example sample produces its expected outcome against the seeded database", async () => {
    const { sql } = database();
    const results = [];
    for (const { flow } of examples) results.push(...(await testFlowSamples(sql, flow)));
    const failed = results.filter((r) => !r.passed).map((r) => `${r.flow} › ${r.sample}: ${r.differences.join("; ")}`);
    expect(failed).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(20);
  });
});
