/** The respond node type (flows/nodes/respond), run through the real engine: compile and execute are the server's, so these tests live here. */
import { describe, expect, it } from "vitest";
import { httpTrigger, runFlow } from "@/server/engine/testing/flow-builder";
import { demoErp } from "@/server/engine/testing/fixtures";

describe("respond executor", () => {
  it("answers the seed's success shape with the stored record's ID", async () => {
    const result = await runFlow(
      { nodes: [httpTrigger(), ["store", "store", { entity: "Vendor", series: "VEND-" }], ["respond", "respond", {}]] },
      { Vendor_Name: "ABC Suppliers", GST_No: "27ABCDE1234F1Z5" },
      { services: demoErp() },
    );
    expect(result.httpStatus).toBe(200);
    expect(result.response).toEqual({ status: "success", message: "Record saved successfully", recordId: "VEND-1003" });
    expect(result.trace[2]).toMatchObject({ output: result.response, note: "HTTP 200" });
  });

  it("uses the flow's return status rules", async () => {
    const result = await runFlow(
      { nodes: [httpTrigger(), ["respond", "respond", {}]], statusRules: { SUCCESS: { httpStatus: 201, message: "Created" } } },
      {},
    );
    expect(result).toMatchObject({ outcome: "SUCCESS", httpStatus: 201, response: { status: "success", message: "Created" } });
  });

  it("can reject with its own code (FAILED → 400, DUPLICATE → 409)", async () => {
    const failed = await runFlow({ nodes: [httpTrigger(), ["respond", "respond", { status: "FAILED", errorCode: "NOT_ELIGIBLE", message: "Not eligible" }]] }, {});
    expect(failed).toMatchObject({ outcome: "FAILED", httpStatus: 400, errorCode: "NOT_ELIGIBLE", response: { status: "error", errorCode: "NOT_ELIGIBLE", message: "Not eligible" } });
    const duplicate = await runFlow({ nodes: [httpTrigger(), ["respond", "respond", { status: "DUPLICATE", errorCode: "ALREADY_SENT", message: "Already sent" }]] }, {});
    expect(duplicate).toMatchObject({ outcome: "DUPLICATE", httpStatus: 409, response: { errorCode: "ALREADY_SENT" } });
  });

  it("is implied when a flow has no respond node", async () => {
    const result = await runFlow({ nodes: [httpTrigger(), ["map", "map", { expression: "$" }]] }, { a: 1 });
    expect(result.response).toEqual({ status: "success", message: "Record saved successfully" });
  });
});
