import { describe, expect, it } from "vitest";
import { DEFAULT_STATUS_RULES } from "./format";
import { renderResponse } from "./status-rules";

describe("return status rules", () => {
  it("SUCCESS → 200 in the seed's shape", () => {
    expect(renderResponse(DEFAULT_STATUS_RULES, { outcome: "SUCCESS", recordId: "VEND-1023" })).toEqual({
      httpStatus: 200,
      body: { status: "success", message: "Record saved successfully", recordId: "VEND-1023" },
    });
  });

  it("FAILED → 400 with the first error's code and every error", () => {
    const errors = [
      { field: "GST_No", rule: "gstin", code: "INVALID_GST", message: "GST number is invalid" },
      { field: "Email", rule: "email", code: "INVALID_EMAIL", message: "Email address is invalid" },
    ];
    expect(renderResponse(DEFAULT_STATUS_RULES, { outcome: "FAILED", errorCode: "INVALID_GST", message: "GST number is invalid", errors })).toEqual({
      httpStatus: 400,
      body: { status: "error", errorCode: "INVALID_GST", message: "GST number is invalid", errors },
    });
  });

  it("FAILED keeps a non-validation error's own status (401, 404, 502)", () => {
    expect(renderResponse(DEFAULT_STATUS_RULES, { outcome: "FAILED", errorCode: "AUTH_FAILED", message: "Authentication failed", httpStatus: 401 }).httpStatus).toBe(401);
  });

  it("DUPLICATE → 409, with the rule's message when it has one", () => {
    const rules = { ...DEFAULT_STATUS_RULES, DUPLICATE: { httpStatus: 409, message: "Already registered" } };
    expect(renderResponse(DEFAULT_STATUS_RULES, { outcome: "DUPLICATE", errorCode: "DUPLICATE_RECORD", message: "Vendor exists" })).toEqual({
      httpStatus: 409,
      body: { status: "error", errorCode: "DUPLICATE_RECORD", message: "Vendor exists" },
    });
    expect(renderResponse(rules, { outcome: "DUPLICATE", errorCode: "DUPLICATE_RECORD", message: "Vendor exists" }).body.message).toBe("Already registered");
  });

  it("ERROR → 500 with a generic body that leaks nothing", () => {
    expect(renderResponse(DEFAULT_STATUS_RULES, { outcome: "ERROR", errorCode: "EXPRESSION_TIMEOUT", message: "Expression timed out in node map" })).toEqual({
      httpStatus: 500,
      body: { status: "error", errorCode: "INTERNAL_ERROR", message: "Internal server error" },
    });
  });
});
