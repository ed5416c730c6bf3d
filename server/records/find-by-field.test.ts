import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/database";
import { findRecordByField } from "./store";

const db = useTestDatabase();

describe("findRecordByField", () => {
  // Found by the 10,000-payload property run (seed 654260102): `"city": {"": …}` reached SQL and answered 500.
  it("matches nothing for an object or array sent as a key, without touching SQL", async () => {
    expect(await findRecordByField(db().sql, "City", "name", { "": { x: null } })).toBeUndefined();
    expect(await findRecordByField(db().sql, "City", "name", ["Mumbai"])).toBeUndefined();
  });
});
