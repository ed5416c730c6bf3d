import { resolveGenerators } from "@/flows/samples/generators";
import { describe, expect, it } from "vitest";
import { activeCall, ALL_FUNCTIONS, functionSignature } from "@/flows/functions/catalog";
import { loadExampleFlows } from "@/flows/examples";
import type { FlowFile } from "@/flows/format";
import { mapTargets, rulesByField, sourceFields } from "./flow-context";
import { evaluatePreview } from "./preview";
import { rowsToExpression } from "./model";
import { buildFieldTree, flattenSample, treePaths, valuesAtPath } from "./sample-tree";
import { validateMappings } from "./validate-mapping";

const flow = (slug: string): FlowFile => {
  const found = loadExampleFlows().find((f) => f.slug === slug);
  if (!found) throw new Error(`no example ${slug}`);
  return structuredClone(found);
};
const vendor = () => flow("vendor-master");
/** The shipped seed sample with its generators as the designer previews them (stable example values). */
const seedSample = () => resolveGenerators(vendor().samples[0]!.payload, { example: true }).value;

function withMap(f: FlowFile, expression: string): FlowFile {
  const map = f.nodes.find((n) => n.type === "map")!;
  map.config = { expression };
  return f;
}

describe("sample tree and parse preview", () => {
  const order = { id: "SO-1", "customer name": "ACME", lines: [{ sku: "A", qty: 2 }, { sku: "B", qty: 1, note: null }], paid: false };

  it("infers fields with JSONata paths, array items merged", () => {
    const paths = treePaths(buildFieldTree(order)).map((n) => `${n.path}:${n.type}`);
    expect(paths).toEqual(["id:string", "`customer name`:string", "lines:array", "lines.sku:string", "lines.qty:number", "lines.note:null", "paid:boolean"]);
  });

  it("lists leaves with indexes, types and values", () => {
    const { rows, truncated } = flattenSample(order);
    expect(truncated).toBe(false);
    expect(rows).toContainEqual({ path: "lines[1].note", type: "null", value: "null" });
    expect(rows).toContainEqual({ path: "`customer name`", type: "string", value: '"ACME"' });
    expect(flattenSample({ a: Array.from({ length: 50 }, (_, i) => i) }, 10)).toMatchObject({ truncated: true });
  });

  it("reads paths as JSONata does, mapping over arrays", () => {
    expect(valuesAtPath(order, "lines.sku")).toEqual(["A", "B"]);
    expect(valuesAtPath(order, "`customer name`")).toEqual(["ACME"]);
    expect(valuesAtPath(order, "lines.nope")).toEqual([]);
    expect(valuesAtPath(order, "constructor")).toEqual([]);
  });

  it("describes a 1 MiB sample quickly and within bounds", () => {
    const big = { items: Array.from({ length: 8000 }, (_, i) => ({ id: i, name: `item ${i}`, price: i * 1.5, tags: ["a", "b"] })) };
    expect(JSON.stringify(big).length).toBeGreaterThan(400_000);
    const started = performance.now();
    const tree = buildFieldTree(big);
    const flat = flattenSample(big);
    expect(performance.now() - started).toBeLessThan(200);
    expect(treePaths(tree).map((n) => n.path)).toEqual(["items", "items.id", "items.name", "items.price", "items.tags"]);
    expect(flat.rows).toHaveLength(500);
  });
});

describe("targets and rules around a map node", () => {
  it("incoming: the store entity's fields with type and required flag", () => {
    const targets = mapTargets(vendor(), "map");
    expect(targets.find((t) => t.name === "Vendor_Name")).toMatchObject({ type: "string", required: true, origin: "entity" });
    expect(targets.find((t) => t.name === "City")).toMatchObject({ required: false });
    expect(targets.map((t) => t.name)).toEqual(["Vendor_Name", "GST_No", "Contact_Person", "Phone_No", "Email", "City", "PAN_No", "Address"]);
  });

  it("outgoing: the parameters the next validate node checks, typed and required from its rules", () => {
    const targets = mapTargets(flow("invoice-to-accounting"), "map");
    expect(targets.find((t) => t.name === "invoiceDate")).toMatchObject({ type: "date", required: true });
    expect(targets.find((t) => t.name === "customerName")).toMatchObject({ type: "string", required: false });
  });

  it("outgoing: sources include the trigger entity's fields before any sample", () => {
    const fields = sourceFields(flow("invoice-to-accounting"), "map", undefined).map((n) => n.path);
    expect(fields).toEqual(expect.arrayContaining(["Invoice_No", "Invoice_Date", "Total_Amount"]));
  });

  it("groups the next validate node's rules per field", () => {
    const { validateNodeId, byField } = rulesByField(vendor(), "map");
    expect(validateNodeId).toBe("validate");
    expect(byField.get("GST_No")?.map((r) => r.summary)).toEqual(["required", "gstin", "unique in Vendor"]);
    expect(byField.get("City")?.map((r) => r.summary)).toEqual(["in City"]);
  });
});

describe("mapping validation", () => {
  it("finds nothing wrong with the seed's flow on the seed's sample", () => {
    expect(validateMappings(vendor(), seedSample())).toEqual([]);
  });

  it("reports a required target left unmapped, at its node and field", () => {
    const issues = validateMappings(withMap(vendor(), '{"Vendor_Name": vendorName}'), seedSample());
    expect(issues).toEqual([
      expect.objectContaining({ nodeId: "map", field: "GST_No", code: "REQUIRED_TARGET_UNMAPPED", severity: "error", message: "GST_No is required by Vendor but nothing is mapped to it" }),
    ]);
  });

  it("reports source paths missing from the sample", () => {
    const issues = validateMappings(withMap(vendor(), '{"Vendor_Name": vendorName, "GST_No": gst}'), seedSample());
    expect(issues).toEqual([expect.objectContaining({ field: "GST_No", code: "SOURCE_MISSING", message: "gst (mapped to GST_No) is not in the sample" })]);
  });

  it("reports type mismatches, and accepts them once a transform fixes the type", () => {
    const f = flow("invoice-to-accounting");
    const sample = { Invoice_No: "INV/1", Invoice_Date: "12/12/2025", Total_Amount: "85000" };
    const bad = validateMappings(withMap(f, rowsToExpression([
      { source: "Invoice_No", target: "invoiceNumber" },
      { source: "Invoice_Date", target: "invoiceDate" },
      { source: "Total_Amount", target: "amount" },
    ])), sample);
    expect(bad.map((i) => `${i.field}:${i.code}`)).toEqual(["invoiceDate:TYPE_MISMATCH", "amount:TYPE_MISMATCH"]);
    expect(bad[1]!.message).toBe('amount expects a number but Total_Amount gives the text "85000"');
    const good = validateMappings(withMap(f, rowsToExpression([
      { source: "Invoice_No", target: "invoiceNumber" },
      { source: "Invoice_Date", target: "invoiceDate", transform: '$parseDate(?, "DD/MM/YYYY")' },
      { source: "Total_Amount", target: "amount", transform: "$number" },
    ])), sample);
    expect(good).toEqual([]);
  });

  it("reports an expression that does not parse, with line and column", () => {
    const issues = validateMappings(withMap(vendor(), '{\n  "Vendor_Name": vendorName,\n  "GST_No": ]\n}'), seedSample());
    expect(issues).toEqual([expect.objectContaining({ field: "expression", code: "EXPRESSION_SYNTAX", line: 3, column: 13 })]);
  });

  it("reports a row whose transform does not parse", () => {
    const f = vendor();
    const issues = validateMappings(withMap(f, rowsToExpression([{ source: "vendorName", target: "Vendor_Name", transform: "$substring(?, 0" }, { source: "gstNumber", target: "GST_No" }])), seedSample());
    expect(issues.map((i) => i.code)).toEqual(["EXPRESSION_SYNTAX"]);
  });
});

describe("live preview", () => {
  it("evaluates with Flowport's functions and explains master lookups", async () => {
    const result = await evaluatePreview('{"d": $formatDate("2025-12-12", "DD/MM/YYYY"), "g": $gstinValid(gstNumber), "s": $lookup("City", city).State}', seedSample());
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(JSON.parse(result.json)).toEqual({ d: "12/12/2025", g: true });
    expect(result.notes).toEqual(['$lookup("City", …) reads the ERP: it is empty in the preview; run a dry run to see it.']);
  });

  it("reads master lookups from the masters snapshot when the designer has one", async () => {
    const masters = { City: { key: "Name", rows: [{ Name: "Mumbai", State: "Maharashtra", recordId: "CITY-1", status: "active" }], truncated: false } };
    const result = await evaluatePreview('{"s": $lookup("City", city).State, "n": $lookup("city", " mumbai ").Name, "x": $lookup("City", "Atlantis").State}', seedSample(), masters);
    expect(result).toMatchObject({ ok: true, notes: [] });
    if (!result.ok) return;
    expect(JSON.parse(result.json)).toEqual({ s: "Maharashtra", n: "Mumbai" });
    // Not in the snapshot (an entity's records, or a master cut short): empty, and the preview says why.
    const records = await evaluatePreview('$lookup("Vendor", "27ABCDE1234F1Z5").Vendor_Name', {}, masters);
    expect(records).toMatchObject({ ok: true, notes: ['$lookup("Vendor", …) reads the ERP: it is empty in the preview; run a dry run to see it.'] });
    const cut = await evaluatePreview('$lookup("City", "Pune").State', {}, { City: { ...masters.City, truncated: true } });
    expect(cut).toMatchObject({ ok: true, notes: ['$lookup("City", …) reads the ERP: it is empty in the preview; run a dry run to see it.'] });
  });

  it("gives parse errors with their position and evaluation errors apart", async () => {
    expect(await evaluatePreview('{"a": }', {})).toMatchObject({ ok: false, phase: "parse", error: { line: 1, column: 7 } });
    expect(await evaluatePreview('$number("abc")', {})).toMatchObject({ ok: false, phase: "evaluate", error: { code: "D3030" } });
  });

  it("stops a runaway expression", async () => {
    const result = await evaluatePreview("($f := function($n){ $f($n + 1) }; $f(0))", {});
    expect(result.ok).toBe(false);
  });

  it("holds the engine's limits and matches regexes on the same linear-time engine", async () => {
    expect(await evaluatePreview("$pad('', 100000000)", {})).toMatchObject({
      ok: false,
      phase: "evaluate",
      error: { code: "EXPRESSION_LIMIT", message: "$pad would produce 100,000,000 characters; the limit is 4,000,000" },
    });
    expect(await evaluatePreview("$string([1..3000000])", {})).toMatchObject({
      ok: false,
      error: { code: "EXPRESSION_LIMIT", message: "The expression would build a list of 3,000,000 items; the limit is 1,048,576" },
    });
    const regex = await evaluatePreview(`$contains("${"a".repeat(40)}!", /^(a+)+$/)`, {});
    expect(regex).toMatchObject({ ok: true, json: "false" });
  });
});

describe("function catalogue", () => {
  it("documents Flowport's functions first, with signatures", () => {
    const formatDate = ALL_FUNCTIONS.find((f) => f.name === "formatDate")!;
    expect(functionSignature(formatDate)).toBe("$formatDate(value, picture, timeZone?)");
    expect(ALL_FUNCTIONS.filter((f) => f.name === "lookup")).toHaveLength(1);
  });

  it("finds the call and argument under the cursor", () => {
    expect(activeCall('$formatDate(date, "D, M')).toEqual({ name: "formatDate", argument: 1 });
    expect(activeCall("$substring($trim(a), ")).toEqual({ name: "substring", argument: 1 });
    expect(activeCall("$substring($trim(a")).toEqual({ name: "trim", argument: 0 });
    expect(activeCall("a + b")).toBeUndefined();
  });
});
