import { describe, expect, it } from "vitest";
import { FLOW_ERROR_STATUS, FlowError, notAvailable, outcomeOf, toFlowError, validationError } from "./errors";

describe("FlowError", () => {
  it("maps every code to an HTTP status and an outcome", () => {
    expect(FLOW_ERROR_STATUS).toEqual({
      VALIDATION_FAILED: 400,
      WORKFLOW_RULE: 400,
      AUTH_FAILED: 401,
      NOT_FOUND: 404,
      DUPLICATE_RECORD: 409,
      EXPRESSION_ERROR: 500,
      EXPRESSION_TIMEOUT: 500,
      EXPRESSION_LIMIT: 500,
      INTERNAL_ERROR: 500,
      EXTERNAL_ERROR: 502,
    });
    expect(outcomeOf("DUPLICATE_RECORD")).toBe("DUPLICATE");
    expect(outcomeOf("AUTH_FAILED")).toBe("FAILED");
    expect(outcomeOf("EXPRESSION_TIMEOUT")).toBe("ERROR");
    expect(outcomeOf("EXPRESSION_LIMIT")).toBe("ERROR");
  });

  it("serializes what logs need and nothing more", () => {
    const error = new FlowError("EXTERNAL_ERROR", { message: "down", retryable: true, nodeId: "send", details: { status: 503 } });
    expect(error.toJSON()).toEqual({ code: "EXTERNAL_ERROR", message: "down", httpStatus: 502, nodeId: "send", details: { status: 503 }, retryable: true });
    expect(new FlowError("NOT_FOUND").toJSON()).toEqual({ code: "NOT_FOUND", message: "Not found", httpStatus: 404 });
  });

  it("wraps unknown errors as INTERNAL_ERROR with a safe message", () => {
    const wrapped = toFlowError(new RangeError("secret detail"), "store");
    expect(wrapped).toMatchObject({ code: "INTERNAL_ERROR", message: "Internal server error", nodeId: "store", details: { cause: "RangeError: secret detail" } });
    const original = new FlowError("AUTH_FAILED");
    expect(toFlowError(original, "auth")).toBe(original);
    expect(original.nodeId).toBe("auth");
  });

  it("takes a validation failure's message from its first field error", () => {
    const error = validationError([{ field: "GST_No", rule: "gstin", code: "INVALID_GST", message: "GST number is invalid" }]);
    expect(error).toMatchObject({ code: "VALIDATION_FAILED", message: "GST number is invalid", httpStatus: 400, outcome: "FAILED" });
    expect(notAvailable("send")).toMatchObject({ code: "INTERNAL_ERROR", message: "send is not available" });
  });
});
