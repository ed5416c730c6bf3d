/** The lookup node type (flows/nodes/lookup), run through the real engine: compile and execute are the server's, so these tests live here. */
import { describe, expect, it } from "vitest";
import { httpTrigger, runFlow, type FlowSpec } from "@/server/engine/testing/flow-builder";
import { MemoryServices } from "@/server/engine/testing/memory-services";

const services = () =>
  new MemoryServices({ entities: { Vendor: { key: "GST_No", rows: [{ id: "VEND-1", Vendor_Name: "Shree Cement", GST_No: "27AAFCS1234M1Z9" }] } } });

const spec = (onMissing: "fail" | "continue", key = "vendorGst"): FlowSpec => ({
  nodes: [
    httpTrigger(),
    ["vendor", "lookup", { entity: "Vendor", key, keyField: "GST_No", target: "vendor", onMissing, code: "VENDOR_NOT_FOUND", message: "No vendor with this GST number" }],
    ["respond", "respond", { message: "found" }],
  ],
});

describe("lookup executor", () => {
  it("keeps the record it finds in $vars", async () => {
    const result = await runFlow(spec("fail"), { vendorGst: "27aafcs1234m1z9" }, { services: services() });
    expect(result).toMatchObject({ outcome: "SUCCESS", httpStatus: 200 });
  });

  it("answers the not-found code for a key that matches nothing", async () => {
    const result = await runFlow(spec("fail"), { vendorGst: "29AAGCB7383J1Z4" }, { services: services() });
    expect(result).toMatchObject({ httpStatus: 400, response: { errorCode: "VENDOR_NOT_FOUND", message: "No vendor with this GST number" } });
  });

  it.each([
    ["missing", {}],
    ["null", { vendorGst: null }],
    ["blank", { vendorGst: "   " }],
  ])("reports a %s key as REQUIRED_FIELD for the field it reads, not as not found", async (_name, body) => {
    const result = await runFlow(spec("fail"), body, { services: services() });
    expect(result).toMatchObject({
      outcome: "FAILED",
      httpStatus: 400,
      response: {
        status: "error",
        errorCode: "REQUIRED_FIELD",
        message: "vendorGst is required",
        errors: [{ field: "vendorGst", rule: "required", code: "REQUIRED_FIELD", message: "vendorGst is required" }],
      },
    });
  });

  it("names the key field when the key is an expression, and lets onMissing continue go on with null", async () => {
    const computed = await runFlow(spec("fail", "$trim(vendorGst)"), {}, { services: services() });
    expect(computed.response).toMatchObject({ errorCode: "REQUIRED_FIELD", errors: [{ field: "GST_No" }] });
    const lenient = await runFlow(spec("continue"), {}, { services: services() });
    expect(lenient).toMatchObject({ outcome: "SUCCESS" });
  });
});
