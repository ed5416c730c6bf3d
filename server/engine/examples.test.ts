import { describe, expect, it } from "vitest";
import { EXAMPLE_SLUGS, loadExampleFlow, loadExampleFlows } from "@/flows/examples";
import { validateGraph } from "@/flows/validate-graph";
import { compileFlow } from "./compile";
import { execute } from "./execute";
import { runSamples } from "./samples";
import { demoCatalog, demoErp, DEMO_API_KEY } from "./testing/fixtures";

describe("example flows", () => {
  it("ship all eight integrations", () => {
    expect(EXAMPLE_SLUGS).toEqual([
      "vendor-master",
      "lead-enquiry",
      "invoice-update",
      "attendance-import",
      "material-receipt",
      "invoice-to-accounting",
      "vendor-to-payment-portal",
      "daily-invoice-sync",
    ]);
    for (const slug of EXAMPLE_SLUGS) expect(loadExampleFlow(slug).slug).toBe(slug);
  });

  describe.each(EXAMPLE_SLUGS.map((s) => [s]))("%s", (slug) => {
    const flow = loadExampleFlow(slug);

    it("is a valid graph whose names exist in the ERP catalogue", () => {
      expect(validateGraph(flow, demoCatalog)).toEqual([]);
    });

    it("ships valid and invalid samples, each with an expected outcome", () => {
      expect(flow.samples.length).toBeGreaterThanOrEqual(2);
      expect(flow.samples.every((s) => s.expect !== undefined)).toBe(true);
      expect(flow.samples.some((s) => s.expect?.status === "SUCCESS")).toBe(true);
      expect(flow.samples.some((s) => s.expect?.status !== "SUCCESS")).toBe(true);
    });

    it("produces every sample's expected outcome (dry run, in-memory ERP)", async () => {
      const reports = await runSamples(flow, { services: () => demoErp() });
      for (const report of reports) expect(report.problems, `${slug} / ${report.sample}`).toEqual([]);
    });
  });

  it("vendor-master answers exactly as the seed's §3.7 says, live", async () => {
    const plan = compileFlow(loadExampleFlow("vendor-master"));
    const services = demoErp({ seriesStart: 1023 });
    const body = { vendorName: "ABC Suppliers", gstNumber: "27ABCDE1234F1Z5", contactPerson: "Ramesh Sharma", mobile: "9876543210", email: "abc@xyz.com", city: "Mumbai" };
    const ok = await execute(plan, body, { services, headers: { "x-api-key": DEMO_API_KEY } });
    expect(ok.httpStatus).toBe(200);
    expect(ok.response).toEqual({ status: "success", message: "Record saved successfully", recordId: "VEND-1023" });
    const bad = await execute(plan, { ...body, gstNumber: "27ABCDE1234" }, { services, headers: { "x-api-key": DEMO_API_KEY } });
    expect(bad.httpStatus).toBe(400);
    expect(bad.response).toMatchObject({ status: "error", errorCode: "INVALID_GST", message: "GST number is invalid" });
    const again = await execute(plan, body, { services, headers: { "x-api-key": DEMO_API_KEY } });
    expect(again).toMatchObject({ outcome: "DUPLICATE", httpStatus: 409, errorCode: "DUPLICATE_RECORD" });
  });

  it("invoice-to-accounting sends the seed's §4.3 request exactly", async () => {
    const plan = compileFlow(loadExampleFlow("invoice-to-accounting"));
    const services = demoErp();
    const invoice = { Invoice_No: "INV/2025/0045", Invoice_Date: "2025-12-12", Total_Amount: 85000, Client_Name: "ABC Infrastructure", Project_Code: "PRJ-102", GST_No: "27ABCDE1234F1Z5" };
    const result = await execute(plan, invoice, { services, event: { entity: "Invoice", type: "status_changed", toStatus: "approved", recordId: "INV-1001" } });
    expect(result).toMatchObject({ outcome: "SUCCESS", referenceId: "EXT-1" });
    expect(JSON.stringify(services.sent[0]!.body)).toBe(
      '{"invoiceNumber":"INV/2025/0045","invoiceDate":"2025-12-12","amount":85000,"customerName":"ABC Infrastructure","projectCode":"PRJ-102","gstNumber":"27ABCDE1234F1Z5"}',
    );
    expect(services.sent[0]).toMatchObject({ connection: "accounting-system", method: "POST", path: "/api/v1/receive-data", credential: "accounting-api-token" });
  });

  it("loads every example through the shared loader", () => {
    expect(loadExampleFlows()).toHaveLength(EXAMPLE_SLUGS.length);
    expect(() => loadExampleFlow("nope")).toThrow(/No example flow "nope"/);
  });
});
