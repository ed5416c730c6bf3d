import jsonata from "jsonata";
import { describe, expect, it } from "vitest";
import { EXAMPLE_SLUGS, loadExampleFlow } from "@/flows/examples";
import { bareMapRunner, benchEngine } from "./engine";

// Keeps the benchmark runnable; the figures themselves are for `npm run bench -- engine`.
describe("benchEngine", () => {
  it("measures every example flow beside bare JSONata of its own map expressions", async () => {
    const result = await benchEngine({ durationMs: 40, warmupMs: 20 });
    expect(result.flows.map((f) => f.slug)).toEqual(EXAMPLE_SLUGS);
    for (const f of result.flows) {
      expect(f.engineExecPerSec, f.slug).toBeGreaterThan(0);
      expect(f.bareJsonataPerSec, f.slug).toBeGreaterThan(0);
      expect(f.mapExpressions, f.slug).toBeGreaterThan(0);
      expect(f.ratio).toBeCloseTo(f.engineExecPerSec / f.bareJsonataPerSec, 2);
    }
    expect(result.flows.find((f) => f.slug === "vendor-master")?.target).toBe(40_000);
    expect(result.flows.find((f) => f.slug === "lead-enquiry")?.target).toBeUndefined();
  });

  it("the bare side evaluates the flow's own maps with the lookups' $vars and per batch item", async () => {
    // vendor-to-payment-portal reads $vars.city.State (a City master lookup) in its map.
    const portal = loadExampleFlow("vendor-to-payment-portal");
    const sample = portal.samples.find((s) => s.expect?.status === "SUCCESS")!;
    expect(await bareMapRunner(portal, sample.payload).run()).toEqual(sample.expect!.request);
    // material-receipt maps twice; the second merges the vendor found by GSTIN.
    const receipt = loadExampleFlow("material-receipt");
    const out = (await bareMapRunner(receipt, receipt.samples[0]!.payload).run()) as Record<string, unknown>;
    expect(out.Vendor_Name).toEqual(expect.any(String));
    // attendance-import is a batch flow: the map runs on each punch, with $trigger the whole body.
    const attendance = loadExampleFlow("attendance-import");
    const body = attendance.samples[0]!.payload as { punches: unknown[]; deviceId?: string };
    const last = (await bareMapRunner(attendance, body).run()) as Record<string, unknown>;
    const expected = await jsonata(String(attendance.nodes.find((n) => n.type === "map")!.config.expression)).evaluate(body.punches.at(-1), { trigger: body });
    expect(JSON.parse(JSON.stringify(last))).toEqual(JSON.parse(JSON.stringify(expected)));
  });
});
