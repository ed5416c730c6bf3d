/**
 * The entity contract over real HTTP and a real database: the probe's vendor-master payloads, the
 * material-receipt that sends nothing, and generated records through a flow with no validate node,
 * where the store is the only guard.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRecordContract, maxLengthOf } from "@/flows/erp/contract";
import { labelledRecord } from "@/flows/erp/contract-arbitraries";
import { findEntity } from "@/flows/erp/entities";
import { parseFlow } from "@/flows/format";
import { systemActor } from "../audit/actor";
import { publishFlow } from "../flows/publish-flow";
import { saveDraft } from "../flows/repository";
import { useTestDatabase } from "../testing/database";
import { startIncomingTestServer, type IncomingTestServer } from "../testing/incoming-server";

const database = useTestDatabase();
let api: IncomingTestServer;

/** trigger → auth → store: the body is the record, nothing checks it before the store. */
const STORE_ONLY = parseFlow({
  formatVersion: 1,
  slug: "contract-probe",
  name: "Contract probe",
  direction: "incoming",
  nodes: [
    { id: "trigger", type: "trigger.http", name: "POST", position: { x: 0, y: 0 }, config: { slug: "contract-probe", method: "POST", mode: "single" } },
    { id: "auth", type: "auth", name: "API key", position: { x: 200, y: 0 }, config: { direction: "incoming", methods: ["api_key"] } },
    { id: "store", type: "store", name: "Save", position: { x: 400, y: 0 }, config: { entity: "GoodsReceipt", mode: "insert" } },
    { id: "respond", type: "respond", name: "Respond", position: { x: 600, y: 0 }, config: { status: "SUCCESS" } },
  ],
  edges: [
    { source: "trigger", target: "auth" },
    { source: "auth", target: "store" },
    { source: "store", target: "respond" },
  ],
});

beforeAll(async () => {
  api = await startIncomingTestServer(database());
  await saveDraft(database().sql, STORE_ONLY);
  await publishFlow(database().sql, { slug: "contract-probe" }, systemActor("test"));
});
afterAll(async () => {
  await api?.close();
});

const count = async (entity: string) => {
  const [row] = await database().sql<{ n: number }[]>`select count(*)::int as n from records where entity = ${entity}`;
  return row!.n;
};

let gst = 3000;
const vendor = (overrides: Record<string, unknown>) => ({
  vendorName: "Contract Traders",
  gstNumber: `27ABCDE${gst++}F1Z5`,
  mobile: "9876543210",
  email: "c@example.com",
  city: "Mumbai",
  ...overrides,
});

describe("vendor-master refuses what its entity cannot hold", () => {
  it.each([
    ["an object", { first: "A" }, "INVALID_TYPE"],
    ["a number", 12345, "INVALID_TYPE"],
    ["an array", ["A", "B"], "INVALID_TYPE"],
    ["900,000 characters", "V".repeat(900_000), "INVALID_LENGTH"],
  ])("Vendor_Name as %s → 400 in the seed's shape, nothing stored", async (_name, vendorName, code) => {
    const before = await count("Vendor");
    const res = await api.post("vendor-master", vendor({ vendorName }));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ status: "error", errorCode: code, errors: [{ field: "Vendor_Name", code }] });
    expect(typeof res.json.requestId).toBe("string");
    expect(await count("Vendor")).toBe(before);
  });
});

describe("material-receipt validates before it looks the supplier up", () => {
  it("answers {} with its six missing required fields, not VENDOR_NOT_FOUND", async () => {
    const res = await api.post("material-receipt", {});
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ status: "error", errorCode: "REQUIRED_FIELD" });
    const errors = res.json.errors as { field: string; code: string }[];
    expect(errors.map((e) => [e.field, e.code])).toEqual(
      ["GRN_Ref", "PO_Number", "Vendor_GST", "Receipt_Date", "Item_Code", "Quantity"].map((field) => [field, "REQUIRED_FIELD"]),
    );
  });

  it("still refuses an unknown supplier, and saves a known one's receipt with its name", async () => {
    const body = { grnRef: "C/GRN/1", poNumber: "PO-20431", itemCode: "cem", quantity: 1, receivedDate: "2025-12-12" };
    expect((await api.post("material-receipt", { ...body, vendorGst: "29AAGCB7383J1Z4" })).json.errorCode).toBe("VENDOR_NOT_FOUND");
    const saved = await api.post("material-receipt", { ...body, vendorGst: "27AAFCS1234M1Z9" });
    expect(saved.status).toBe(200);
    const [row] = await database().sql`select data from records where record_id = ${saved.json.recordId as string}`;
    expect(row!.data).toMatchObject({ Vendor_Name: "Shree Cement Traders", Vendor_GST: "27AAFCS1234M1Z9", Item_Code: "CEM" });
  });
});

describe("the store through a real incoming call (generated records)", () => {
  it("stores exactly the records the contract accepts, as sent, and refuses the rest with their fields", async () => {
    const entity = findEntity("GoodsReceipt")!;
    const grnMax = maxLengthOf(entity.fields.find((f) => f.name === "GRN_Ref")!);
    let unique = 0;
    await fc.assert(
      fc.asyncProperty(labelledRecord(entity), async ({ record }) => {
        // Keep valid references unique, so a duplicate key (409) never hides the contract's answer:
        // a valid one ends in a counter, cut on code points to stay within its length (a generated
        // value may be exactly as long as allowed, and fast-check generates the same value twice).
        const ref = record.GRN_Ref;
        if (typeof ref === "string" && ref.trim() !== "" && checkRecordContract(entity, { ...record, GRN_Ref: ref }).every((e) => e.field !== "GRN_Ref")) {
          const tag = `#${unique++}`;
          let kept = "";
          for (const char of ref) {
            if (kept.length + char.length + tag.length > grnMax) break;
            kept += char;
          }
          record.GRN_Ref = `${kept}${tag}`;
        }
        const sent = JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
        const expected = checkRecordContract(entity, sent);
        const before = await count("GoodsReceipt");
        const res = await api.post("contract-probe", sent);
        if (expected.length === 0) {
          expect(res.status, JSON.stringify(res.json)).toBe(200);
          const [row] = await database().sql<{ data: unknown }[]>`select data from records where record_id = ${res.json.recordId as string}`;
          expect(row!.data).toEqual(sent);
        } else {
          expect(res.status, JSON.stringify(res.json)).toBe(400);
          expect((res.json.errors as { field: string }[]).map((e) => e.field)).toEqual(expected.map((e) => e.field));
          expect(await count("GoodsReceipt")).toBe(before);
        }
      }),
      { numRuns: 60 },
    );
  });
});
