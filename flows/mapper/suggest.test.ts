import { describe, expect, it } from "vitest";
import { findEntity } from "@/flows/erp/entities";
import { parseFlow } from "@/flows/format";
import vendorMasterFile from "@/flows/examples/vendor-master.flow.json";
import { mapTargets } from "./flow-context";
import { expressionToRows } from "./model";
import { nameWords, suggestMappings, valueShape } from "./suggest";

/** The spec's example request (strategicerp-api-integration.md §3.3), and nothing else. */
const SEED_REQUEST = {
  vendorName: "ABC Suppliers",
  gstNumber: "27ABCDE1234F1Z5",
  contactPerson: "Ramesh Sharma",
  mobile: "9876543210",
  email: "abc@xyz.com",
  city: "Mumbai",
};

const pairs = (s: { source: string; target: string }[]) => s.map((x) => `${x.source} → ${x.target}`);

describe("mapping suggestions", () => {
  it("suggests vendor-master's six fields from the seed sample alone, exactly as the shipped flow maps them", () => {
    const vendor = parseFlow(vendorMasterFile);
    // The targets as the mapper sees them for this flow's map node, with its rows taken away.
    const unmapped = { ...vendor, nodes: vendor.nodes.map((n) => (n.id === "map" ? { ...n, config: { expression: "{}" } } : n)) };
    const suggestions = suggestMappings(SEED_REQUEST, mapTargets(unmapped, "map"));
    const shipped = expressionToRows(vendor.nodes.find((n) => n.id === "map")!.config.expression as string);
    if (shipped.kind !== "rows") throw new Error("vendor-master's mapping is rows");
    expect(pairs(suggestions).sort()).toEqual(pairs(shipped.rows).sort());
    expect(pairs(suggestions)).toContain("mobile → Phone_No");
    expect(pairs(suggestions)).toContain("gstNumber → GST_No");
    for (const s of suggestions) expect(s.confidence, `${s.source} → ${s.target}`).toBeGreaterThanOrEqual(0.8);
    expect(suggestions.find((s) => s.source === "mobile")!.reasons).toEqual(["synonym of phone", "value looks like a mobile number"]);
    expect(suggestions.find((s) => s.source === "gstNumber")!.reasons).toContain("value looks like a GSTIN");
  });

  it("a GSTIN-shaped value suggests the GST field even under a name it does not know", () => {
    const [only, ...rest] = suggestMappings({ taxRef: "29AAGCB7383J1Z4" }, findEntity("Vendor")!.fields);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ source: "taxRef", target: "GST_No", reasons: ["value looks like a GSTIN"] });
    expect(only!.confidence).toBeGreaterThanOrEqual(0.6);
    // The same value under a name it knows is surer than either alone.
    expect(suggestMappings({ gstin: "29AAGCB7383J1Z4" }, findEntity("Vendor")!.fields)[0]!.confidence).toBeGreaterThan(only!.confidence);
  });

  it("uses synonyms for web-form names (lead-enquiry), nested paths included, and each side once", () => {
    const lead = findEntity("Lead")!.fields;
    const sample = { enquiry: { fullName: "Priya Nair", cell: "+91 9812345678", mail: "p@n.in", organisation: "Nair Interiors", message: "Quote", channel: "website" } };
    expect(pairs(suggestMappings(sample, lead)).sort()).toEqual(
      [
        "enquiry.fullName → Lead_Name",
        "enquiry.cell → Mobile",
        "enquiry.mail → Email",
        "enquiry.organisation → Company",
        "enquiry.message → Requirement",
        "enquiry.channel → Source",
      ].sort(),
    );
  });

  it("leaves out what is already mapped, and what only a weak hint connects", () => {
    const fields = findEntity("Vendor")!.fields;
    const rest = suggestMappings(SEED_REQUEST, fields, { mappedSources: ["vendorName", "mobile"], mappedTargets: ["Vendor_Name", "Email"] });
    expect(pairs(rest).sort()).toEqual(["city → City", "contactPerson → Contact_Person", "gstNumber → GST_No"]);
    expect(suggestMappings({ colour: "blue", weight: 4 }, fields)).toEqual([]);
  });

  it("a value of the wrong shape lowers a name match (text into a number field)", () => {
    const invoice = findEntity("Invoice")!.fields;
    const asNumber = suggestMappings({ totalAmount: 85000 }, invoice)[0]!;
    const asText = suggestMappings({ totalAmount: "eighty five thousand" }, invoice)[0]!;
    expect(asNumber.target).toBe("Total_Amount");
    expect(asText.confidence).toBeLessThan(asNumber.confidence);
  });

  it("normalises names and reads value shapes", () => {
    expect(nameWords("gstNumber")).toEqual(["gst", "no"]);
    expect(nameWords("GST_No")).toEqual(["gst", "no"]);
    expect(nameWords("PANNumber")).toEqual(["pan", "no"]);
    expect(["27ABCDE1234F1Z5", "ABCDE1234F", "+91 9876543210", "a@b.in", "400001", "2025-12-12", 4, "Mumbai"].map(valueShape)).toEqual([
      "gstin",
      "pan",
      "mobile",
      "email",
      "pincode",
      "date",
      "number",
      "text",
    ]);
  });
});
