import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/database";
import { findRecordByField, insertRecord, recordExistsByField } from "./store";

const db = useTestDatabase();

describe("findRecordByField", () => {
  // Found by the 10,000-payload property run (seed 654260102): `"city": {"": …}` reached SQL and answered 500.
  it("matches nothing for an object or array sent as a key, without touching SQL", async () => {
    expect(await findRecordByField(db().sql, "City", "name", { "": { x: null } })).toBeUndefined();
    expect(await findRecordByField(db().sql, "City", "name", ["Mumbai"])).toBeUndefined();
    expect(await recordExistsByField(db().sql, "City", "name", { "": { x: null } })).toBe(false);
    expect(await recordExistsByField(db().sql, "City", "name", ["Mumbai"])).toBe(false);
  });
});

describe("recordExistsByField", () => {
  it("answers as findRecordByField does, by unique key (normalised) and by a field without one", async () => {
    const { sql } = db();
    await insertRecord(sql, "Vendor", { Vendor_Name: "Exists Probe Traders", GST_No: "27EXIST1234F1Z5", City: "Pune" }, { emitEvents: false });
    const probes: [string, unknown][] = [
      ["GST_No", "27EXIST1234F1Z5"],
      ["GST_No", "  27exist1234f1z5 "],
      ["GST_No", "27NOPEX1234F1Z5"],
      ["Vendor_Name", "exists probe traders"],
      ["Vendor_Name", "Nobody Traders"],
      ["City", "PUNE"],
      ["GST_No", null],
    ];
    for (const [field, value] of probes) {
      const found = (await findRecordByField(sql, "Vendor", field, value)) !== undefined;
      expect(await recordExistsByField(sql, "Vendor", field, value), `${field}=${String(value)}`).toBe(found);
    }
    expect(await recordExistsByField(sql, "Vendor", "GST_No", "27exist1234f1z5")).toBe(true);
    expect(await recordExistsByField(sql, "Vendor", "GST_No", "27NOPEX1234F1Z5")).toBe(false);
  });
});
