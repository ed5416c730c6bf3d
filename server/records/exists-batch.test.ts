import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/database";
import { existsBatcher } from "./exists-batch";
import { insertRecord, recordExistsByField } from "./store";

const db = useTestDatabase();
let spy: postgres.Sql | undefined;
afterAll(async () => spy?.end());

/** A connection of its own that notes every statement it sends. */
function spyingConnection(): { sql: postgres.Sql; statements: string[] } {
  const statements: string[] = [];
  spy = postgres(db().url, { max: 1, onnotice: () => undefined, debug: (_connection, query) => statements.push(query) });
  return { sql: spy, statements };
}

describe("existsBatcher", () => {
  it("answers lookups started together as recordExistsByField does, the key lookups in one statement", async () => {
    await insertRecord(db().sql, "Vendor", { Vendor_Name: "Batch Probe Traders", GST_No: "27BATCH1234F1Z5", City: "Pune" }, { emitEvents: false });
    await insertRecord(db().sql, "City", { Name: "Batchpur", State: "Maharashtra" }, { emitEvents: false });
    const probes: [string, string, unknown][] = [
      ["Vendor", "GST_No", "27BATCH1234F1Z5"],
      ["Vendor", "GST_No", "27NOPEX1234F1Z5"],
      ["City", "Name", " batchpur "],
      ["City", "Name", "Atlantis"],
      ["Vendor", "Vendor_Name", "batch probe traders"],
      ["Vendor", "GST_No", null],
      ["City", "Name", { nested: true }],
    ];
    const expected = await Promise.all(probes.map(([entity, field, value]) => recordExistsByField(db().sql, entity, field, value)));
    expect(expected).toEqual([true, false, true, false, true, false, false]);

    const { sql, statements } = spyingConnection();
    const exists = existsBatcher(sql);
    expect(await Promise.all(probes.map(([entity, field, value]) => exists(entity, field, value)))).toEqual(expected);
    // The four key lookups share one statement; the data lookup runs alone; null and objects never reach SQL.
    // (postgres.js's own type query on connecting is left out.)
    expect(statements.filter((s) => s.includes("record_keys"))).toHaveLength(1);
    expect(statements.filter((s) => /\brecords?(_keys)?\b/.test(s))).toHaveLength(2);

    // A lone lookup is the plain statement, as before.
    statements.length = 0;
    expect(await exists("Vendor", "GST_No", "27batch1234f1z5")).toBe(true);
    expect(statements).toEqual([expect.stringMatching(/^select 1 from record_keys/)]);
  });

  it("rejects a lookup of an unknown entity alone", async () => {
    const exists = existsBatcher(db().sql);
    const [unknown, known] = await Promise.allSettled([exists("Spaceship", "Name", "x"), exists("City", "Name", "Atlantis")]);
    expect(unknown.status).toBe("rejected");
    expect(known).toEqual({ status: "fulfilled", value: false });
  });
});
