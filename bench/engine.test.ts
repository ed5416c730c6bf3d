import { describe, expect, it } from "vitest";
import { benchEngine } from "./engine";

// Keeps the benchmark runnable; the figures themselves are for `node --import tsx bench/engine.ts`.
describe("benchEngine", () => {
  it("measures the engine and bare JSONata side by side", async () => {
    const result = await benchEngine({ durationMs: 300, warmupMs: 100 });
    expect(result.engineExecPerSec).toBeGreaterThan(0);
    expect(result.bareJsonataPerSec).toBeGreaterThan(0);
    expect(result.executions).toBeGreaterThan(0);
    expect(result.ratio).toBeCloseTo(result.engineExecPerSec / result.bareJsonataPerSec, 2);
  });
});
