/** Seeds the ERP's masters and demo records once per database. */
import { insertRecord } from "../records/store";
import type { Seeder } from ".";
import { CITIES, DEMO_RECORDS, STATES } from "./erp-demo-data";

export const erpDemoSeeder: Seeder = {
  name: "erp-demo-data",
  async run(database) {
    await database.sql.begin(async (tx) => {
      const quiet = { emitEvents: false, origin: { kind: "seed" } };
      for (const [Name, Code] of STATES) await insertRecord(tx, "State", { Name, Code }, quiet);
      for (const [Name, State] of CITIES) await insertRecord(tx, "City", { Name, State }, quiet);
      for (const r of DEMO_RECORDS) await insertRecord(tx, r.entity, r.data, quiet);
    });
  },
};
