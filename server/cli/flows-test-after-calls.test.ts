/**
 * Samples that stay true (issue 17): after the README's ready curl saved the seed's vendor over real
 * HTTP, and after every incoming example's SUCCESS samples were sent for real (twice), `flowport flows
 * test --all` still passes — the samples' generators ({{unique}}, {{now}}) make new keys each run.
 */
import os from "node:os";
import { describe, expect, it } from "vitest";
import { loadExampleFlows } from "@/flows/examples";
import { resolveSample } from "@/flows/samples/generators";
import { DEMO_CURL_BODY } from "../seed/demo-client";
import { useTestDatabase } from "../testing/database";
import { useIncomingTestServer } from "../testing/incoming-server";
import { childEnv, spawnNode } from "../testing/processes";

const database = useTestDatabase();
const api = useIncomingTestServer(database);

describe("flowport flows test --all on a database that has seen real calls", () => {
  it("passes after the README's curl and after the example samples were sent for real", async () => {
    const curl = await api.post("vendor-master", DEMO_CURL_BODY);
    expect(curl.status, JSON.stringify(curl.json)).toBe(200);
    // The same call again is a duplicate: the database now holds the seed's GSTIN.
    expect((await api.post("vendor-master", DEMO_CURL_BODY)).status).toBe(409);

    let sent = 0;
    for (const flow of loadExampleFlows().filter((f) => f.direction === "incoming")) {
      const methods = (flow.nodes.find((n) => n.type === "auth")?.config.methods as string[] | undefined) ?? ["api_key"];
      const auth: Record<string, string> = methods.includes("api_key") ? {} : { authorization: `Bearer ${api.bearerToken}` };
      for (const written of flow.samples.filter((s) => s.expect?.status === "SUCCESS")) {
        for (let run = 0; run < 2; run++) {
          const { sample } = resolveSample(written);
          const answer = await api.post(flow.slug, sample.payload, { ...sample.headers, ...auth });
          expect(answer.status, `${flow.slug} › ${written.name} (run ${run + 1}): ${JSON.stringify(answer.json)}`).toBe(sample.expect!.httpStatus ?? 200);
          sent++;
        }
      }
    }
    expect(sent).toBeGreaterThanOrEqual(8);

    const run = spawnNode(["bin/flowport.js", "flows", "test", "--all", "--json"], childEnv({ DATABASE_URL: database().url, FLOWPORT_DATA_DIR: os.tmpdir() }));
    const code = await run.exited;
    const output = run.output();
    const report = JSON.parse(output.slice(output.indexOf("{"))) as { ok: boolean; failed: number; passed: number; results: { passed: boolean; flow: string; sample: string; differences: string[] }[] };
    expect(report.results.filter((r) => !r.passed)).toEqual([]);
    expect(report).toMatchObject({ ok: true, failed: 0 });
    expect(code).toBe(0);
  }, 120_000);
});
