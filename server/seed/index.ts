/**
 * First-run seeding: demo ERP data, example flows, the first admin and a demo API
 * key. Each seeder runs once per database (recorded in app_meta) and may return
 * lines for the start-up banner, such as a password that is shown only once.
 */
import type { Database } from "../db/client";
import { erpDemoSeeder } from "./erp-demo";
import { exampleFlowsSeeder } from "./example-flows";
import { demoClientSeeder } from "./demo-client";
import { demoOutgoingSeeder } from "./demo-outgoing";
import { firstAdminSeeder } from "./first-admin";

export interface SeedResult {
  /** Lines printed once in the start-up banner (for example the first admin's login). */
  banner: string[];
}

export interface Seeder {
  /** Stable name, recorded in app_meta when done. */
  name: string;
  run(database: Database): Promise<SeedResult | void>;
}

/** Seeders in the order they run (later ones may rely on earlier ones' data). */
export const seeders: Seeder[] = [erpDemoSeeder, demoOutgoingSeeder, exampleFlowsSeeder, demoClientSeeder, firstAdminSeeder];

const SEED_LOCK_KEY = 7_004_250_002;

export async function seedOnFirstRun(database: Database, list: Seeder[] = seeders): Promise<SeedResult> {
  const banner: string[] = [];
  const { sql } = database;
  for (const seeder of list) {
    const key = `seed.${seeder.name}`;
    const reserved = await sql.reserve();
    try {
      // One process seeds; others wait here and then find it done.
      await reserved`select pg_advisory_lock(${SEED_LOCK_KEY})`;
      const done = await reserved`select 1 from app_meta where key = ${key}`;
      if (done.length === 0) {
        const result = await seeder.run(database);
        if (result) banner.push(...result.banner);
        await reserved`insert into app_meta (key, value) values (${key}, ${JSON.stringify({ at: new Date().toISOString() })}::jsonb)`;
      }
    } finally {
      await reserved`select pg_advisory_unlock(${SEED_LOCK_KEY})`.catch(() => undefined);
      reserved.release();
    }
  }
  return { banner };
}
