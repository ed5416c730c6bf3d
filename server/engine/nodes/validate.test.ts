/** The validate node type (flows/nodes/validate), run through the real engine: compile and execute are the server's, so these tests live here. */
import { describe, expect, it } from "vitest";
import { httpTrigger, runFlow } from "@/server/engine/testing/flow-builder";
import { demoErp } from "@/server/engine/testing/fixtures";

const vendorRules = [
  { field: "Vendor_Name", rule: "required" },
  { field: "GST_No", rule: "required" },
  { field: "GST_No", rule: "format", format: "gstin" },
  { field: "GST_No", rule: "unique", entity: "Vendor", message: "A vendor with this GST number already exists" },
  { field: "Phone_No", rule: "format", format: "indianMobile" },
  { field: "Email", rule: "format", format: "email" },
  { field: "City", rule: "exists", master: "City" },
];

const validate = (rules: object[], input: unknown, services = demoErp()) =>
  runFlow({ nodes: [httpTrigger(), ["validate", "validate", { rules }]] }, input, { services, mode: "dry" });

const good = { Vendor_Name: "ABC Suppliers", GST_No: "27ABCDE1234F1Z5", Phone_No: "9876543210", Email: "abc@xyz.com", City: "Mumbai" };

describe("validate executor", () => {
  it("passes a valid record through unchanged", async () => {
    const result = await validate(vendorRules, good);
    expect(result.outcome).toBe("SUCCESS");
    expect(result.trace[1]).toMatchObject({ status: "success", output: good });
  });

  it("reports every failing rule, not only the first, in the seed's shape", async () => {
    const result = await validate(vendorRules, { Vendor_Name: " ", GST_No: "BAD", Phone_No: "123", Email: "x@", City: "Atlantis" });
    expect(result.outcome).toBe("FAILED");
    expect(result.httpStatus).toBe(400);
    expect(result.response).toEqual({
      status: "error",
      errorCode: "REQUIRED_FIELD",
      message: "Vendor_Name is required",
      errors: [
        { field: "Vendor_Name", rule: "required", code: "REQUIRED_FIELD", message: "Vendor_Name is required" },
        { field: "GST_No", rule: "gstin", code: "INVALID_GST", message: "GST number is invalid" },
        { field: "Phone_No", rule: "indianMobile", code: "INVALID_MOBILE", message: "Mobile number is invalid" },
        { field: "Email", rule: "email", code: "INVALID_EMAIL", message: "Email address is invalid" },
        { field: "City", rule: "exists", code: "CITY_NOT_FOUND", message: "City not found" },
      ],
    });
    expect(result.error).toMatchObject({ code: "VALIDATION_FAILED", nodeId: "validate" });
  });

  it("skips every rule but required on absent optional fields", async () => {
    const result = await validate(vendorRules, { Vendor_Name: "A", GST_No: "27ABCDE1234F1Z5", Email: "", City: null });
    expect(result.outcome).toBe("SUCCESS");
  });

  it("answers DUPLICATE (409) when the only failure is a taken unique value", async () => {
    const result = await validate(vendorRules, { ...good, GST_No: "27AAFCS1234M1Z9" });
    expect(result.outcome).toBe("DUPLICATE");
    expect(result.httpStatus).toBe(409);
    expect(result.response).toMatchObject({ status: "error", errorCode: "DUPLICATE_RECORD", message: "A vendor with this GST number already exists" });
  });

  it("lists a duplicate after the invalid fields when both happen", async () => {
    const result = await validate(vendorRules, { ...good, GST_No: "27AAFCS1234M1Z9", Email: "nope" });
    expect(result.outcome).toBe("FAILED");
    expect((result.response.errors as { code: string }[]).map((e) => e.code)).toEqual(["INVALID_EMAIL", "DUPLICATE_RECORD"]);
    expect(result.response.errorCode).toBe("INVALID_EMAIL");
  });

  it("does not ask the store about a value that already failed locally", async () => {
    const services = demoErp();
    let asked = 0;
    const exists = services.records.exists;
    services.records.exists = async (...args) => {
      asked++;
      return exists(...args);
    };
    await validate(vendorRules, { ...good, GST_No: "BAD" }, services);
    expect(asked).toBe(0);
    await validate(vendorRules, good, services);
    expect(asked).toBe(1);
  });

  it("checks custom JSONata conditions with $value and the whole record", async () => {
    const rules = [
      { field: "Total_Amount", rule: "custom", condition: "$value <= 100000 or Status = 'approved'", code: "NEEDS_APPROVAL", message: "Large invoices must be approved" },
    ];
    expect((await validate(rules, { Total_Amount: 500000, Status: "draft" })).response).toMatchObject({ errorCode: "NEEDS_APPROVAL" });
    expect((await validate(rules, { Total_Amount: 500000, Status: "approved" })).outcome).toBe("SUCCESS");
    expect((await validate(rules, { Total_Amount: 50 })).outcome).toBe("SUCCESS");
  });

  it("uses the rule's own code and message and the FAILED status rule", async () => {
    const result = await runFlow(
      { nodes: [httpTrigger(), ["validate", "validate", { rules: [{ field: "A", rule: "required", code: "A_MISSING", message: "Give A" }] }]], statusRules: { FAILED: { httpStatus: 422 } } },
      {},
    );
    expect(result).toMatchObject({ httpStatus: 422, response: { errorCode: "A_MISSING", message: "Give A" } });
  });

  it("fails cleanly when the store is not available (designer preview without a database)", async () => {
    const result = await runFlow({ nodes: [httpTrigger(), ["validate", "validate", { rules: [{ field: "City", rule: "exists", master: "City" }] }]] }, { City: "Pune" });
    expect(result.outcome).toBe("ERROR");
    expect(result.error).toMatchObject({ code: "INTERNAL_ERROR", message: "records.masterExists is not available", nodeId: "validate" });
    expect(result.response).toEqual({ status: "error", errorCode: "INTERNAL_ERROR", message: "Internal server error" });
  });
});
