import { beforeAll, describe, expect, it } from "vitest";
import { lookupInSnapshot } from "@/flows/mapper/preview-masters";
import { seedOnFirstRun } from "../seed";
import { erpDemoSeeder } from "../seed/erp-demo";
import { useTestDatabase } from "../testing/database";
import { recordServices } from "./engine-services";
import { masterSnapshots } from "./master-snapshots";

const db = useTestDatabase();
beforeAll(async () => {
  await seedOnFirstRun(db(), [erpDemoSeeder]);
});

describe("master snapshots for the live preview", () => {
  it("hold the seeded masters, keyed as the engine's lookup matches them", async () => {
    const masters = await masterSnapshots(db().sql);
    expect(masters.City!.key).toBe("Name");
    expect(masters.City!.rows.length).toBeGreaterThanOrEqual(50);
    expect(masters.City!.truncated).toBe(false);
    expect(masters.State!.key).toBe("Name");
    expect(lookupInSnapshot(masters, "City", "Mumbai").entry).toMatchObject({ Name: "Mumbai", State: "Maharashtra" });
  });

  it("answer every lookup exactly as the engine does against the database", async () => {
    const { sql } = db();
    const masters = await masterSnapshots(sql);
    const engine = recordServices(sql);
    const probes: [string, unknown, string | undefined][] = [
      ["City", "Mumbai", undefined],
      ["City", "  pune ", undefined],
      ["city", "NAGPUR", undefined],
      ["City", "Atlantis", undefined],
      ["City", "Maharashtra", "State"],
      ["State", "MH", "Code"],
      ["State", "mh", "Code"],
      ["State", "Maharashtra", undefined],
      ["State", "ZZ", "Code"],
      ["City", null, undefined],
      ["City", 42, undefined],
    ];
    let found = 0;
    for (const [master, key, field] of probes) {
      const inDatabase = await engine.lookup!(master, key, { field, dryRun: true });
      const inSnapshot = lookupInSnapshot(masters, master, key, field);
      expect(inSnapshot.loaded, `${master} ${String(key)}`).toBe(true);
      expect(inSnapshot.entry ?? null, `${master} ${String(key)} by ${field ?? "key"}`).toEqual(inDatabase ?? null);
      if (inDatabase) found++;
    }
    expect(found).toBe(7);
  });

  it("say when a master is cut: a miss in it is not an answer", async () => {
    const masters = await masterSnapshots(db().sql, 5);
    expect(masters.City!.truncated).toBe(true);
    expect(masters.City!.rows).toHaveLength(5);
    const present = masters.City!.rows[0]!.Name;
    expect(lookupInSnapshot(masters, "City", present)).toMatchObject({ loaded: true, entry: { Name: present } });
    expect(lookupInSnapshot(masters, "City", "Atlantis")).toEqual({ loaded: false, entry: undefined });
    // An entity's records are never in the snapshot.
    expect(lookupInSnapshot(masters, "Vendor", "27ABCDE1234F1Z5")).toEqual({ loaded: false });
  });
});
