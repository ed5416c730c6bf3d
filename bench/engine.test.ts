import jsonata from "jsonata";
import { describe, expect, it } from "vitest";
import { EXAMPLE_SLUGS, loadExampleFlow } from "@/flows/examples";
import { registerPureFunctions } from "@/flows/functions/pure";
import { resolveSample } from "@/flows/samples/generators";
import { demoErp } from "@/server/engine/testing/fixtures";
import { bareFlowRunner, benchEngine } from "./engine";

// Keeps the benchmark runnable; the figures themselves are for `npm run bench -- engine`.
describe("benchEngine", () => {
  it("measures every example flow beside bare JSONata of its own expressions", async () => {
    const result = await benchEngine({ durationMs: 40, warmupMs: 20 });
    expect(result.flows.map((f) => f.slug)).toEqual(EXAMPLE_SLUGS);
    for (const f of result.flows) {
      expect(f.engineExecPerSec, f.slug).toBeGreaterThan(0);
      expect(f.bareJsonataPerSec, f.slug).toBeGreaterThan(0);
      expect(f.expressions, f.slug).toBeGreaterThan(0);
      expect(f.ratio).toBeCloseTo(f.engineExecPerSec / f.bareJsonataPerSec, 2);
    }
    expect(result.flows.find((f) => f.slug === "vendor-master")?.target).toBe(40_000);
    expect(result.flows.find((f) => f.slug === "lead-enquiry")?.target).toBeUndefined();
  });

  it("the bare side evaluates every expression the engine evaluated, on the same inputs, with the same answers", async () => {
    const json = (value: unknown) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
    for (const slug of EXAMPLE_SLUGS) {
      const flow = loadExampleFlow(slug);
      const sample = resolveSample(flow.samples.find((s) => s.expect?.status === "SUCCESS") ?? flow.samples[0]!).sample;
      const bare = await bareFlowRunner(flow, sample.payload, { services: demoErp(), mode: "dry", headers: sample.headers });
      expect(bare.evaluations, slug).toBeGreaterThanOrEqual(bare.expressions);
      for (const call of bare.calls) {
        const again = jsonata(call.text);
        registerPureFunctions(again);
        expect(json(await again.evaluate(call.input, call.bindings)), `${slug}: ${call.text}`).toEqual(json(await call.output));
      }
      await bare.run();
    }
    // Conditions count too: lead-enquiry's branch beside its map; daily-invoice-sync's branch and validate rules.
    const lead = loadExampleFlow("lead-enquiry");
    const leadSample = resolveSample(lead.samples.find((s) => s.expect?.status === "SUCCESS")!).sample;
    expect((await bareFlowRunner(lead, leadSample.payload, { services: demoErp(), mode: "dry" })).expressions).toBe(2);
    // attendance-import is a batch flow: its map runs once per punch.
    const attendance = loadExampleFlow("attendance-import");
    const body = attendance.samples[0]!.payload as { punches: unknown[] };
    expect((await bareFlowRunner(attendance, body, { services: demoErp(), mode: "dry" })).evaluations).toBe(body.punches.length);
  });
});
