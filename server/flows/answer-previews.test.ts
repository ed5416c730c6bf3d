/**
 * The designer's answer previews (flows/answer-previews.ts) say what the server really answers: each
 * preview is compared with a real call over HTTP (or a dry run on the real database), for the flow's
 * own entity, numbering series and rules — lead-enquiry previews leads, not vendors.
 */
import { describe, expect, it } from "vitest";
import { answerPreviews, type AnswerPreview } from "@/flows/answer-previews";
import { loadExampleFlow } from "@/flows/examples";
import type { Outcome } from "@/flows/format";
import { useTestDatabase } from "../testing/database";
import { useIncomingTestServer } from "../testing/incoming-server";
import { dryRunFlow } from "./dry-run";

const database = useTestDatabase();
const api = useIncomingTestServer(database);

const preview = (previews: AnswerPreview[], outcome: Outcome) => previews.find((p) => p.outcome === outcome)!;
/** A real answer without what differs per call (requestId; the record number after its prefix). */
const comparable = (body: Record<string, unknown>) => {
  const { requestId: _requestId, ...rest } = body;
  return typeof rest.recordId === "string" ? { ...rest, recordId: rest.recordId.replace(/\d+$/, "#") } : rest;
};

describe("answer previews", () => {
  it("lead-enquiry previews its own reference format and messages, and the server answers the same", async () => {
    const lead = loadExampleFlow("lead-enquiry");
    const previews = answerPreviews(lead);
    const text = JSON.stringify(previews.map((p) => p.rendered));
    expect(text).not.toContain("VEND-");
    expect(text).not.toMatch(/vendor|GST/i);

    const success = preview(previews, "SUCCESS");
    expect(success.rendered).toEqual({ httpStatus: 200, body: { status: "success", message: "Enquiry received", recordId: "LEAD-1001" } });
    const real = await api.post("lead-enquiry", { name: "Asha Rao", email: "asha@example.com", source: "Website" });
    expect(real.status).toBe(success.rendered.httpStatus);
    expect(comparable(real.json)).toEqual(comparable(success.rendered.body));

    const failed = preview(previews, "FAILED");
    expect(failed.rendered.body).toMatchObject({ status: "error", errorCode: "REQUIRED_FIELD", message: "Lead name is required" });
    const rejected = await api.post("lead-enquiry", { email: "asha@example.com" });
    expect(rejected.status).toBe(failed.rendered.httpStatus);
    expect(comparable(rejected.json)).toEqual(failed.rendered.body);

    // Leads have no unique key: the preview says the outcome cannot happen, with the error table's message.
    const duplicate = preview(previews, "DUPLICATE");
    expect(duplicate).toMatchObject({ source: "Lead has no unique key", possible: false });
    expect(duplicate.rendered.body).toEqual({ status: "error", errorCode: "DUPLICATE_RECORD", message: "Duplicate record" });
  });

  it("vendor-master previews VEND- ids and its own rules' messages, as its real answers", async () => {
    const vendor = loadExampleFlow("vendor-master");
    const previews = answerPreviews(vendor);
    const base = { vendorName: "Asha Traders", gstNumber: "29AAGCB7383J1Z4", city: "Mumbai" };

    const ok = await api.post("vendor-master", base);
    expect(comparable(ok.json)).toEqual(comparable(preview(previews, "SUCCESS").rendered.body));
    expect(preview(previews, "SUCCESS").rendered.body.recordId).toBe("VEND-1001");

    const failed = preview(previews, "FAILED").rendered;
    const empty = await api.post("vendor-master", { ...base, vendorName: "", gstNumber: "27AAPFU0939F1ZV" });
    expect(empty.status).toBe(failed.httpStatus);
    expect(comparable(empty.json)).toEqual(failed.body);

    const duplicate = preview(previews, "DUPLICATE").rendered;
    expect(duplicate.body.message).toBe("A vendor with this GST number already exists");
    const again = await api.post("vendor-master", base);
    expect(again.status).toBe(duplicate.httpStatus);
    expect(comparable(again.json)).toEqual(duplicate.body);
  });

  it("without a unique rule, previews the record store's own duplicate answer for the entity's key", async () => {
    const vendor = loadExampleFlow("vendor-master");
    const validate = vendor.nodes.find((n) => n.type === "validate")!;
    validate.config = { rules: (validate.config.rules as { rule: string }[]).filter((r) => r.rule !== "unique") };
    const duplicate = preview(answerPreviews(vendor), "DUPLICATE");
    expect(duplicate.source).toBe("Vendor's unique key GST_No");
    // Shree Cement Traders holds this GSTIN in the demo data: the store refuses the insert.
    const result = await dryRunFlow(database().sql, vendor, { payload: { vendorName: "Another", gstNumber: "27AAFCS1234M1Z9" } });
    expect(result.httpStatus).toBe(duplicate.rendered.httpStatus);
    expect(result.response).toEqual(duplicate.rendered.body);
  });

  it("follows edited status rules (a DUPLICATE message override, another HTTP status)", () => {
    const lead = loadExampleFlow("lead-enquiry");
    const rules = { ...lead.statusRules, DUPLICATE: { httpStatus: 422, message: "Seen before" } };
    expect(preview(answerPreviews(lead, rules), "DUPLICATE").rendered).toEqual({ httpStatus: 422, body: { status: "error", errorCode: "DUPLICATE_RECORD", message: "Seen before" } });
  });
});
