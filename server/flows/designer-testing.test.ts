import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { loadExampleFlows } from "@/flows/examples";
import type { FlowFile } from "@/flows/format";
import { compactTrace } from "@/server/executions/compact-trace";
import { recordExecution } from "@/server/executions/record-execution";
import { useTestDatabase } from "../testing/database";
import { seedOnFirstRun } from "../seed";
import { erpDemoSeeder } from "../seed/erp-demo";
import { exampleFlowsSeeder } from "../seed/example-flows";
import { DesignerTestingError, dryRunDraft, recentExecutions, sampleFromExecution } from "./designer-testing";
import { dryRunFlow } from "./dry-run";

const database = useTestDatabase();
const example = (slug: string): FlowFile => structuredClone(loadExampleFlows().find((f) => f.slug === slug)!);
const vendor = example("vendor-master");
/** The shipped seed sample, whose gstNumber is {{unique}}; `seed` is the spec's literal request. */
const seedWithGenerator = vendor.samples[0]!.payload as { [key: string]: string };
const seed = { ...seedWithGenerator, gstNumber: "27ABCDE1234F1Z5" };

const vendorCount = async () => Number((await database().sql<{ n: string }[]>`select count(*) as n from records where entity = 'Vendor'`)[0]!.n);

beforeAll(async () => {
  await seedOnFirstRun(database(), [erpDemoSeeder, exampleFlowsSeeder]);
});

describe("dry run of a draft", () => {
  it("runs the seed sample to success, showing the answer, the record and every node, and writes nothing", async () => {
    const before = await vendorCount();
    expect(seedWithGenerator.gstNumber).toBe("{{unique}}");
    const result = await dryRunDraft(database().sql, vendor, { payload: seedWithGenerator });
    // The generator's text and the value this run gave it come back for the test drawer.
    expect(result.generated).toEqual([{ path: "gstNumber", text: "{{unique}}", value: expect.stringMatching(/^\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/) }]);
    const gst = result.generated![0]!.value;
    expect(result).toMatchObject({
      status: "SUCCESS",
      httpStatus: 200,
      responseBody: { status: "success", message: "Record saved successfully" },
      recordPreview: { Vendor_Name: "ABC Suppliers", GST_No: gst, City: "Mumbai" },
    });
    expect(Object.keys(result.nodes)).toEqual(["trigger", "auth", "map", "validate", "store", "respond"]);
    expect(result.nodes.map).toMatchObject({ status: "success", input: { ...seedWithGenerator, gstNumber: gst }, output: { Vendor_Name: "ABC Suppliers" } });
    expect(result.nodes.store).toMatchObject({ status: "success", note: "rolled back (dry run)" });
    expect(result.nodes.auth?.note).toBe("credentials are not checked in a dry run");
    expect(result.nodes.map!.durationMs).toBeGreaterThanOrEqual(0);
    expect(await vendorCount()).toBe(before);
  });

  it("runs an edited draft, not the published version: an invalid GSTIN fails at the validate node", async () => {
    const result = await dryRunDraft(database().sql, vendor, { payload: { ...seed, gstNumber: "27ABCDE1234F1Z" } });
    expect(result).toMatchObject({ status: "FAILED", httpStatus: 400, errorCode: "INVALID_GST", responseBody: { errorCode: "INVALID_GST", message: "GST number is invalid" } });
    expect(result.nodes.validate).toMatchObject({ status: "error", error: { code: "VALIDATION_FAILED" } });
    expect(result.fieldErrors).toContainEqual({ field: "GST_No", code: "INVALID_GST", message: "GST number is invalid" });
    expect(result.nodes.store).toMatchObject({ status: "skipped" });

    const draft = structuredClone(vendor);
    draft.nodes.find((n) => n.id === "map")!.config = { expression: '{"Vendor_Name": $uppercase(vendorName), "GST_No": gstNumber}' };
    const edited = await dryRunDraft(database().sql, draft, { payload: seed });
    expect(edited.recordPreview).toEqual({ Vendor_Name: "ABC SUPPLIERS", GST_No: "27ABCDE1234F1Z5" });
  });

  it("sees real data: a GSTIN already registered answers DUPLICATE 409", async () => {
    const result = await dryRunDraft(database().sql, vendor, { payload: { ...seed, gstNumber: "27AAFCS1234M1Z9" } });
    expect(result).toMatchObject({ status: "DUPLICATE", httpStatus: 409, errorCode: "DUPLICATE_RECORD" });
  });

  it("refuses a draft with problems, saying which node", async () => {
    const draft = structuredClone(vendor);
    draft.nodes.find((n) => n.id === "map")!.config = { expression: '{"a": }' };
    const error = await dryRunDraft(database().sql, draft, { payload: seed }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DesignerTestingError);
    expect(error).toMatchObject({ kind: "BAD_REQUEST" });
    expect((error as Error).message).toMatch(/^The flow has 1 problem to fix before a dry run; first: map: /);
  });

  it("shows the request an outgoing flow would send", async () => {
    const flow = example("invoice-to-accounting");
    const result = await dryRunDraft(database().sql, flow, { payload: flow.samples[0]!.payload });
    expect(result.requests?.[0]).toMatchObject({ connection: "accounting-system", method: "POST", path: "/api/v1/receive-data" });
    expect(result.nodes.send?.note).toBe("not sent in a dry run");
  });
});

describe("samples from logged requests", () => {
  it("takes an incoming call's body and its harmless headers", async () => {
    const { sql } = database();
    const id = randomUUID();
    await recordExecution(sql, {
      id,
      startedAt: new Date("2026-01-05T10:00:00Z"),
      direction: "incoming",
      flowSlug: "vendor-master",
      status: "FAILED",
      httpStatus: 400,
      durationMs: 3,
      request: { method: "POST", path: "/x", headers: { "x-api-key": "fpk_abcdefgh_[redacted]", "content-type": "application/json", "x-source": "crm" }, body: seed, bodyTruncated: false },
    });
    expect(await sampleFromExecution(sql, "vendor-master", id)).toEqual({
      name: "Logged failed 2026-01-05 10:00:00",
      description: `From logged request ${id}`,
      payload: seed,
      headers: { "content-type": "application/json", "x-source": "crm" },
    });
    expect((await recentExecutions(sql, "vendor-master")).map((e) => e.id)).toContain(id);
  });

  it("takes an outgoing delivery's record from its trace", async () => {
    const { sql } = database();
    const flow = example("invoice-to-accounting");
    const run = await dryRunFlow(sql, flow, flow.samples[0]!);
    const id = randomUUID();
    await recordExecution(sql, { id, startedAt: new Date(), direction: "outgoing", flowSlug: flow.slug, status: "SUCCESS", durationMs: 1, trace: compactTrace(run.trace) });
    expect((await sampleFromExecution(sql, flow.slug, id)).payload).toEqual(flow.samples[0]!.payload);
  });

  it("says why a log cannot become a sample", async () => {
    const { sql } = database();
    const id = randomUUID();
    await recordExecution(sql, { id, startedAt: new Date(), direction: "incoming", flowSlug: "vendor-master", status: "SUCCESS", durationMs: 1, request: { body: "x".repeat(10), bodyTruncated: true } });
    await expect(sampleFromExecution(sql, "vendor-master", id)).rejects.toMatchObject({ kind: "BAD_REQUEST", message: expect.stringMatching(/too large/) });
    await expect(sampleFromExecution(sql, "lead-enquiry", id)).rejects.toMatchObject({ kind: "NOT_FOUND" });
  });
});
