/**
 * 10,000 fast-check payloads against the incoming endpoints (issue 8; the default suite sends 200):
 * no 500, every answer in the seed's shape, the process up, and the heap back near its baseline.
 */
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/server/testing/database";
import { useIncomingTestServer } from "@/server/testing/incoming-server";
import { sendGeneratedPayloads, unloggedRequestIds } from "@/server/testing/payload-property";

const RUNS = 10_000;
const database = useTestDatabase();
const api = useIncomingTestServer(database);

describe("10,000 generated payloads", () => {
  it("never get a 500, and memory returns to its baseline", async () => {
    const report = await sendGeneratedPayloads(api, RUNS, { concurrency: 16 });
    console.log(
      `generated payloads: ${report.calls} calls in ${report.ms} ms (seed ${report.seed}), by status ${JSON.stringify(report.byStatus)}; ` +
        `heap ${report.heapBaselineMiB.toFixed(1)} MiB after the first 500, ${report.heapAfterMiB.toFixed(1)} MiB at the end`,
    );
    expect(report.failures, `seed ${report.seed}`).toEqual([]);
    // Every answered call left its log row (a NUL quoted in an error message once cost one).
    expect(report.requestIds.length).toBe(report.calls);
    expect(await unloggedRequestIds(database().sql, report.requestIds), `seed ${report.seed}`).toEqual([]);
    expect(report.calls).toBe(RUNS);
    expect(report.byStatus[200] ?? 0).toBeGreaterThan(0);
    expect(report.heapAfterMiB - report.heapBaselineMiB).toBeLessThan(32);
    // Still answering normally afterwards.
    const after = await fetch(`${api.url}/vendor-master`, { method: "POST", headers: { "content-type": "application/json", "x-api-key": api.apiKey }, body: "{}" });
    expect(after.status).toBe(400);
  }, 600_000);
});
