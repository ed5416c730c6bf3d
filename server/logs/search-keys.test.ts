/**
 * Business search in the logs (issue 17): a logged call is found by the values of its flow's key
 * fields (a GSTIN, a vendor name), stored with the row at log time, never from a redacted field,
 * through the GIN index. Real HTTP calls into a real database.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { safeParseFlow, type FlowFile } from "@/flows/format";
import { keyFieldsOf } from "@/flows/key-fields";
import { recordExecution } from "../executions/record-execution";
import { useTestDatabase } from "../testing/database";
import { useIncomingTestServer } from "../testing/incoming-server";
import { listExecutions, pageQuery } from "./query";

const database = useTestDatabase();
const api = useIncomingTestServer(database);

function exampleFlow(slug: string): FlowFile {
  const parsed = safeParseFlow(fs.readFileSync(path.join(import.meta.dirname, `../../flows/examples/${slug}.flow.json`), "utf8"));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.flow;
}

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}
const nodesOf = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];

const search = async (term: string) => (await listExecutions(database().sql, { direction: "incoming", search: term })).items;

describe("a flow's key fields", () => {
  it("are derived from vendor-master's rules and mappings: the unique GST number first, each with the input field it is read from", () => {
    const fields = keyFieldsOf(exampleFlow("vendor-master"));
    expect(fields.map((f) => f.name)).toEqual(["GST_No", "City", "Vendor_Name", "Phone_No", "Email", "Contact_Person"]);
    expect(fields[0]!.paths).toEqual([["GST_No"], ["gstNumber"]]);
    expect(fields.find((f) => f.name === "Vendor_Name")!.paths).toEqual([["Vendor_Name"], ["vendorName"]]);
  });
});

describe("searching the logs by business values", () => {
  it("finds a saved call by its GSTIN, its vendor name in any case and spacing, and its record id; a failed one by its error code", async () => {
    const saved = await api.post("vendor-master", { vendorName: "Kaveri  Steels Pvt Ltd", gstNumber: "29AAGCK7383J1Z4", mobile: "9876543210", city: "Mumbai" });
    expect(saved.status).toBe(200);
    const invalid = await api.post("vendor-master", { vendorName: "Godavari Traders", gstNumber: "29AAGC", city: "Mumbai" });
    expect(invalid.json.errorCode).toBe("INVALID_GST");

    const byGstin = await search("29aagck7383j1z4");
    expect(byGstin.map((e) => e.requestId)).toEqual([saved.json.requestId]);
    // In the order of the flow's key fields: the unique GST number first.
    expect(byGstin[0]!.keyValues).toEqual([
      { field: "GST_No", value: "29AAGCK7383J1Z4" },
      { field: "City", value: "Mumbai" },
      { field: "Vendor_Name", value: "Kaveri  Steels Pvt Ltd" },
      { field: "Phone_No", value: "9876543210" },
    ]);
    expect((await search("  kaveri steels PVT LTD ")).map((e) => e.requestId)).toEqual([saved.json.requestId]);
    expect((await search(saved.json.recordId as string)).map((e) => e.requestId)).toEqual([saved.json.requestId]);
    // A failed call keeps its key values too: found by the vendor name it sent, and by its code.
    expect((await search("Godavari Traders")).map((e) => e.requestId)).toEqual([invalid.json.requestId]);
    expect((await search("invalid_gst")).map((e) => e.requestId)).toContain(invalid.json.requestId);
    // Whole values only: a word of a name is not a key.
    expect(await search("Kaveri")).toEqual([]);
  });

  it("never makes a redacted field a search key, whether the flow redacts it or its name looks like a secret", async () => {
    const { sql } = database();
    const flow = exampleFlow("vendor-master");
    const id = await recordExecution(sql, {
      startedAt: new Date(),
      direction: "incoming",
      flowSlug: "vendor-master",
      status: "SUCCESS",
      durationMs: 1,
      request: { body: { vendorName: "Narmada Metals", gstNumber: "24AAACN1234F1Z5", apiToken: "tok-secret-value" } },
      redactFields: ["gstNumber"],
      keyFields: [...keyFieldsOf(flow), { name: "apiToken", paths: [["apiToken"]] }],
    });
    const [row] = await sql<{ search_keys: string[]; key_values: unknown }[]>`
      select search_keys, key_values from executions where id = ${id}`;
    expect(row!.search_keys).toEqual(["narmada metals"]);
    expect(row!.key_values).toEqual([{ field: "Vendor_Name", value: "Narmada Metals" }]);
    expect(await search("24AAACN1234F1Z5")).toEqual([]);
    expect(await search("tok-secret-value")).toEqual([]);
    expect((await search("narmada metals")).map((e) => e.id)).toEqual([id]);
  });

  it("answers a key search through the GIN index of search_keys, not a scan", async () => {
    const { sql } = database();
    await sql`
      insert into executions (started_at, direction, flow_slug, status, duration_ms, search_keys)
      select now() - i * interval '1 second', 'incoming', 'vendor-master', 'SUCCESS', 1,
        array['27abcde' || lpad(i::text, 4, '0') || 'f1z5', 'vendor ' || i]
      from generate_series(1, 20000) as i`;
    await sql`analyze executions`;
    const [row] = await sql<{ "QUERY PLAN": [{ Plan: PlanNode }] }[]>`
      explain (format json) ${pageQuery(sql, { direction: "incoming", search: "27ABCDE0042F1Z5" }, 50)}`;
    const nodes = nodesOf(row!["QUERY PLAN"][0].Plan);
    expect(nodes.some((n) => n["Node Type"] === "Bitmap Index Scan" && /search_keys/.test(n["Index Name"] ?? ""))).toBe(true);
    // Only the empty partitions (next months, the default one) are read sequentially: nothing to read.
    for (const scan of nodes.filter((n) => n["Node Type"] === "Seq Scan")) {
      const [{ n }] = await sql.unsafe<[{ n: number }]>(`select count(*)::int as n from ${scan["Relation Name"]}`);
      expect(n, `${scan["Relation Name"]} is scanned`).toBe(0);
    }
    expect((await search("Vendor 42")).map((e) => e.flowSlug)).toEqual(["vendor-master"]);
  });
});
