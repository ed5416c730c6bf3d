import { describe, expect, it } from "vitest";
import type { ChainBenchResult } from "./chain";
import { abReport, type Measured } from "./ab";

// The A/B report's arithmetic: what a mechanism earns against the mean of the "all on" rows, and its verdict.
const row = (name: string, off: Measured["variant"]["off"], perSecond: number): Measured => ({
  variant: { name, off },
  loadBefore: "0.5 / 0.4 / 0.3",
  loadAfter: "1.0 / 0.5 / 0.3",
  result: {
    database: "embedded PostgreSQL 18.4",
    connections: 32,
    durationMs: 10_000,
    drainCapMs: 60_000,
    flowport: { perSecond, p50Ms: 20, p99Ms: 60, non2xx: 0, delivery: { p99Ms: 80, backlogAtEnd: 3 }, cpu: { appMsPerUnit: 2_000 / perSecond, postgresMsPerUnit: 1 } },
    naive: { perSecond: 1_000 },
  } as unknown as ChainBenchResult,
});

describe("abReport", () => {
  it("keeps a mechanism that earns 10 % and more than the noise, and removes one that does not", () => {
    const report = abReport(
      [row("all on", [], 500), row("batching off", ["batching"], 400), row("grouping off", ["grouping"], 480), row("all on (again)", [], 500)],
      new Date("2026-12-05T07:00:00Z"),
    );
    expect(report).toContain("| batching | 500 | 400 | 25.0 % | – | 5.00 → 6.00 (20 %) | 60.0 → 60.0 | keep");
    expect(report).toContain("| grouping | 500 | 480 | 4.2 % | – | 5.00 → 5.17 (3 %) | 60.0 → 60.0 | under 10 %: remove");
    expect(report).toContain("| grouping off | embedded PostgreSQL 18.4 |");
    expect(report).toContain("| all on | embedded PostgreSQL 18.4 | 0.5 / 0.4 / 0.3 → 1.0 / 0.5 / 0.3 | 500 |");
    expect(report).toContain("0.50×");
  });

  it("does not keep a mechanism whose gain is within the noise of the two \"all on\" rows", () => {
    const report = abReport([row("all on", [], 600), row("batching off", ["batching"], 450), row("all on (again)", [], 400)], new Date());
    // Mean 500, noise 40 %: 11 % over "off" is not enough; grouping was not in this run.
    expect(report).toContain("| 11.1 % |");
    expect(report).toContain("within the noise");
    expect(report).toContain("| grouping | 500 | – | – | – | – | – | not measured |");
  });
  it("compares the mean of a variant's rows when it ran in several rounds (BENCH_AB_ROUNDS)", () => {
    const report = abReport(
      [row("all on, round 1", [], 500), row("batching off, round 1", ["batching"], 400), row("all on, round 2", [], 500), row("batching off, round 2", ["batching"], 500)],
      new Date(),
    );
    // Off: (400 + 500) / 2 = 450, so 500 / 450 - 1 = 11.1 %; CPU 2000 / 450 + 1 per row, averaged.
    expect(report).toContain("| batching | 500 | 450 | 11.1 % | 25.0 %, 0.0 % | 5.00 → 5.50 (10 %) | 60.0 → 60.0 | keep");
  });

  it("keeps a mechanism that earns 10 % in every round even when one slow row makes the whole run's spread wider", () => {
    const report = abReport(
      [
        row("all on, round 1", [], 300),
        row("grouping off, round 1", ["grouping"], 380),
        row("all on (again), round 1", [], 600),
        row("all on, round 2", [], 560),
        row("grouping off, round 2", ["grouping"], 480),
        row("all on (again), round 2", [], 600),
      ],
      new Date(),
    );
    // Spread of the "all on" rows: (600 - 300) / 515 = 58 %, above the 19.8 % gain of the means; paired by round: 18.4 % and 20.8 %.
    expect(report).toContain("| grouping | 515 | 430 | 19.8 % | 18.4 %, 20.8 % |");
    expect(report).toContain("keep (≥ 10 % in each of 2 rounds)");
    const oneSlowRound = abReport([row("all on, round 1", [], 400), row("grouping off, round 1", ["grouping"], 380), row("all on, round 2", [], 700), row("grouping off, round 2", ["grouping"], 500)], new Date());
    // 25 % on the means, inside a 54.5 % spread, and round 1 pairs only 5.3 %.
    expect(oneSlowRound).toContain("| 25.0 % | 5.3 %, 40.0 % |");
    expect(oneSlowRound).toContain("within the noise");
  });

  it("keeps a mechanism whose req/s gain is small when the same work costs 10 % more CPU without it in every round", () => {
    const withCpu = (m: Measured, app: number) => ({ ...m, result: { ...m.result, flowport: { ...m.result.flowport, cpu: { appMsPerUnit: app, postgresMsPerUnit: 1 } } } }) as Measured;
    const rows = [
      withCpu(row("all on, round 1", [], 800), 2.5),
      withCpu(row("batching off, round 1", ["batching"], 790), 8),
      withCpu(row("all on, round 2", [], 810), 2.5),
      withCpu(row("batching off, round 2", ["batching"], 800), 8),
    ];
    // req/s: 1.3 % on the means; CPU per request 3.5 → 9 ms (157 %) in both rounds.
    expect(abReport(rows, new Date())).toContain("| batching | 805 | 795 | 1.3 % | 1.3 %, 1.2 % | 3.50 → 9.00 (157 %) | 60.0 → 60.0 | keep (req/s 1.3 %, but 157 % more CPU per request without it, ≥ 10 % in each of 2 rounds) |");
    // Without that CPU difference the same req/s figures are removed.
    const flat = rows.map((r) => withCpu(r, 2.5));
    expect(abReport(flat, new Date())).toContain("under 10 %: remove");
  });
});
