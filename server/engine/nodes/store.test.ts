/**
 * The store node type (flows/nodes/store), run through the real engine on the real record store
 * (PostgreSQL): insert numbers the record, a duplicate key answers 409, upsert updates by key, and
 * a dry run leaves nothing behind.
 */
import { describe, expect, it } from "vitest";
import { compileFlow } from "@/server/engine/compile";
import { execute } from "@/server/engine/execute";
import { buildFlow, httpTrigger, type FlowSpec } from "@/server/engine/testing/flow-builder";
import { dryRunFlow } from "@/server/flows/dry-run";
import { postgresServices } from "@/server/records/engine-services";
import { findRecordByField, getRecord } from "@/server/records/store";
import { useTestDatabase } from "@/server/testing/database";

const database = useTestDatabase();

const storing = (config: Record<string, unknown>): FlowSpec => ({ nodes: [httpTrigger(), ["store", "store", config], ["respond", "respond", {}]] });

async function run(spec: FlowSpec, input: unknown) {
  const { sql } = database();
  return sql.begin((tx) => execute(compileFlow(buildFlow(spec)), input, { services: postgresServices(tx) }));
}

describe("store executor", () => {
  it("inserts the input as a numbered record and answers its id", async () => {
    const result = await run(storing({ entity: "Vendor" }), { Vendor_Name: "Shree Cement", GST_No: "27AAFCS1234M1Z9" });
    expect(result).toMatchObject({ outcome: "SUCCESS", httpStatus: 200 });
    expect(result.recordId).toMatch(/^VEND-\d+$/);
    expect(result.trace.find((t) => t.nodeId === "store")).toMatchObject({ output: { recordId: result.recordId, created: true } });
    const stored = await getRecord(database().sql, "Vendor", result.recordId!);
    expect(stored?.data).toMatchObject({ Vendor_Name: "Shree Cement", GST_No: "27AAFCS1234M1Z9" });
  });

  it("answers 409 DUPLICATE_RECORD for a second record with the same unique key", async () => {
    const body = { Vendor_Name: "Bharat Steel", GST_No: "29AAGCB7383J1Z4" };
    expect((await run(storing({ entity: "Vendor" }), body)).outcome).toBe("SUCCESS");
    const again = await run(storing({ entity: "Vendor" }), body);
    expect(again).toMatchObject({ outcome: "DUPLICATE", httpStatus: 409 });
    expect(again.error).toMatchObject({ code: "DUPLICATE_RECORD", nodeId: "store" });
  });

  it("upsert updates the record with the same key instead of refusing it", async () => {
    const spec = storing({ entity: "Vendor", mode: "upsert", keyField: "GST_No" });
    const first = await run(spec, { Vendor_Name: "Old name", GST_No: "24AAACR5055K1Z5" });
    const second = await run(spec, { Vendor_Name: "New name", GST_No: "24AAACR5055K1Z5" });
    expect(second).toMatchObject({ outcome: "SUCCESS", recordId: first.recordId });
    expect(second.trace.find((t) => t.nodeId === "store")?.output).toMatchObject({ created: false });
    expect((await findRecordByField(database().sql, "Vendor", "GST_No", "24AAACR5055K1Z5"))?.data.Vendor_Name).toBe("New name");
  });

  it("refuses an item that is not an object (a batch item reaches it as given)", async () => {
    const result = await run({ nodes: [httpTrigger({ mode: "batch" }), ["store", "store", { entity: "Vendor" }]] }, ["x"]);
    expect(result.items?.[0]).toMatchObject({ outcome: "FAILED", errorCode: "INVALID_PAYLOAD" });
  });

  it("in a dry run answers as it would and keeps nothing", async () => {
    const result = await dryRunFlow(database().sql, buildFlow(storing({ entity: "Vendor" })), { payload: { Vendor_Name: "Dry Run Ltd", GST_No: "07AAACD1234E1Z2" } });
    expect(result).toMatchObject({ outcome: "SUCCESS", mode: "dry" });
    expect(result.trace.find((t) => t.nodeId === "store")?.note).toBe("rolled back (dry run)");
    expect(await findRecordByField(database().sql, "Vendor", "GST_No", "07AAACD1234E1Z2")).toBeUndefined();
  });
});
