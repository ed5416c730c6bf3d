import { describe, expect, it } from "vitest";
import { nodeRunViews } from "./run-view";

describe("node results on the canvas", () => {
  it("shows the failing rule's code on a validate node instead of VALIDATION_FAILED", () => {
    const nodes = nodeRunViews({
      status: "FAILED",
      errorCode: "INVALID_GST",
      fieldErrors: [
        { field: "GST_No", code: "INVALID_GST", message: "GST number is invalid" },
        { field: "Email", code: "INVALID_EMAIL", message: "Email address is invalid" },
      ],
      nodes: { map: { status: "success" }, validate: { status: "error", error: { code: "VALIDATION_FAILED", message: "Validation failed" } }, store: { status: "skipped" } },
    })!;
    expect(nodes.validate!.error).toEqual({
      code: "INVALID_GST",
      message: "GST_No: GST number is invalid (INVALID_GST); Email: Email address is invalid (INVALID_EMAIL)",
    });
    expect(nodes.store).toEqual({ status: "skipped" });
    expect(nodeRunViews(null)).toBeUndefined();
  });
});
