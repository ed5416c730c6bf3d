/**
 * fast-check payloads against the incoming endpoints (issue 8): no 500, the seed's shape, the
 * process up, memory back to its baseline. 200 calls here; `npm run test:faults` sends 10,000
 * (faults/generated-payloads.test.ts).
 */
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/database";
import { useIncomingTestServer } from "../testing/incoming-server";
import { sendGeneratedPayloads, unloggedRequestIds } from "../testing/payload-property";

const database = useTestDatabase();
const api = useIncomingTestServer(database);

describe("generated payloads", () => {
  it("never get a 500 or an answer outside the seed's shape", async () => {
    const report = await sendGeneratedPayloads(api, 200, { concurrency: 8 });
    console.log(`generated payloads: ${report.calls} calls in ${report.ms} ms (seed ${report.seed}), by status ${JSON.stringify(report.byStatus)}`);
    expect(report.failures, `seed ${report.seed}`).toEqual([]);
    // Every answered call left its log row (a NUL quoted in an error message once cost one).
    expect(report.requestIds.length).toBe(report.calls);
    expect(await unloggedRequestIds(database().sql, report.requestIds), `seed ${report.seed}`).toEqual([]);
    expect(report.calls).toBe(200);
    // Whether 200 random payloads include a fully valid vendor is chance (a run with none was seen), so
    // "the happy path was exercised too" is asserted by the 10,000-payload run in `npm run test:faults`.
    expect(Object.prototype).not.toHaveProperty("polluted");
  }, 120_000);
});
