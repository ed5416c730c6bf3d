import { describe, expect, it } from "vitest";
import type { ChainBenchResult } from "./chain";
import { deliveryMetrics, describeBacklog, type Send } from "./chain-metrics";
import { percentile } from "./load";
import { chainRow, chainTargets, engineRows, markdownTable } from "./report";

// The bench's pure parts: percentiles, delivery arithmetic, target checks and the report's rows.
describe("percentile", () => {
  it("takes the nearest rank of sorted values", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 0.5)).toBe(51);
    expect(percentile(values, 0.99)).toBe(100);
    expect(percentile([], 0.5)).toBe(0);
    expect(percentile([1.234567], 0.99)).toBe(1.23);
  });
});

describe("deliveryMetrics", () => {
  const sends: Send[] = [
    ["A", 1000, 200],
    ["B", 1010, 200],
    ["C", 1020, 409], // refused: never expected at the receiver
    ["D", 1030, 200],
  ];
  it("measures send → arrival, the backlog at the load's end and the time it took to empty", () => {
    const arrivals = new Map([
      ["A", 1005],
      ["B", 1050],
      ["D", 1300],
    ]);
    const m = deliveryMetrics(sends, arrivals, 1040);
    expect(m).toMatchObject({ accepted: 3, delivered: 3, undelivered: 0, backlogAtEnd: 2, drainMs: 260 });
    expect(m.p50Ms).toBe(40);
    expect(m.p99Ms).toBe(270);
    expect(describeBacklog(m, 60_000)).toBe("backlog 2 at load end, empty 0.3 s later");
  });
  it("says when some never arrived", () => {
    const m = deliveryMetrics(sends, new Map([["A", 1005]]), 1040);
    expect(m).toMatchObject({ delivered: 1, undelivered: 2, backlogAtEnd: 2, drainMs: undefined });
    expect(describeBacklog(m, 60_000)).toBe("backlog 2 at load end, 2 still undelivered after 60 s");
  });
  it("has no backlog when every delivery came before the end", () => {
    const m = deliveryMetrics(sends, new Map([["A", 1001], ["B", 1011], ["D", 1031]]), 1040);
    expect(m).toMatchObject({ backlogAtEnd: 0, drainMs: 0 });
  });
});

const load = { requests: 5000, perSecond: 500, p50Ms: 20, p99Ms: 80, non2xx: 0, errors: 0, statuses: { 200: 5000 }, endedAt: 0, cpu: { appMsPerUnit: 1, postgresMsPerUnit: 1 } };
const delivery = { accepted: 5000, delivered: 5000, undelivered: 0, p50Ms: 30, p99Ms: 90, backlogAtEnd: 10, drainMs: 400 };
const result = (over: Partial<ChainBenchResult["flowport"]> = {}, naivePerSecond = 1000): ChainBenchResult => ({
  database: "embedded PostgreSQL 17.5",
  connections: 32,
  durationMs: 10_000,
  drainCapMs: 60_000,
  flowport: { ...load, delivery, duplicates: 0, ...over },
  naive: { ...load, perSecond: naivePerSecond },
  handChain: { ...load, delivery },
});

describe("chain targets", () => {
  it("are all met at 0.5× the naive baseline, p99 80 ms, no errors, drained in 0.4 s", () => {
    expect(chainTargets(result()).every((t) => t.met)).toBe(true);
    expect(chainRow(result(), "now").met).toBe(true);
  });
  it("each fails on its own figure", () => {
    expect(chainTargets(result({}, 1300))[0]).toMatchObject({ actual: "0.38×", met: false });
    expect(chainTargets(result({ p99Ms: 100 }))[1]!.met).toBe(false);
    expect(chainTargets(result({ non2xx: 1 }))[2]!.met).toBe(false);
    expect(chainTargets(result({ delivery: { ...delivery, drainMs: 30_001 } }))[3]!.met).toBe(false);
    expect(chainTargets(result({ delivery: { ...delivery, drainMs: undefined, undelivered: 3 } }))[3]).toMatchObject({ actual: "not empty after 60 s", met: false });
  });
});

describe("report rows", () => {
  it("state the load and the database, and the chain's figures", () => {
    const row = chainRow(result(), "2026-12-05 01:00 UTC, load 1.0 / 1.0 / 1.0");
    expect(row.load).toBe("32 connections, closed loop, 10 s, unique GSTINs");
    expect(row.database).toBe("embedded PostgreSQL 17.5");
    expect(row.figure).toContain("incoming 500 req/s, p50 20 ms, p99 80 ms, non-2xx 0; event→delivery p50 30 ms, p99 90 ms; backlog 10 at load end, empty 0.4 s later");
    expect(row.target).toContain("incoming ≥ 0.4× the naive incoming: 0.50×, met");
    const [line] = markdownTable([row]).slice(2);
    expect(line!.split(" | ")[2]).toBe("embedded PostgreSQL 17.5");
    expect(line!.endsWith("| yes | 2026-12-05 01:00 UTC, load 1.0 / 1.0 / 1.0 |")).toBe(true);
  });
  it("name the chain's process model, as the app's banner said it", () => {
    expect(chainRow({ ...result(), processModel: "web + worker, two processes" }, "now").scenario).toContain("FLOWPORT_ROLE unset: web + worker, two processes)");
  });
  it("one engine row per flow; rows without a target or database say so", () => {
    const flow = { slug: "lead-enquiry", direction: "incoming", sample: "Website enquiry", engineExecPerSec: 12000, engineMeanUs: 83.3, executions: 1, expressions: 1, evaluations: 1, bareJsonataPerSec: 30000, ratio: 0.4, unexpected: {} };
    const rows = engineRows([flow, { ...flow, slug: "vendor-master", target: 40_000, meetsTarget: false, unexpected: { EXPRESSION_TIMEOUT: 2 } }], "now");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ target: "—", met: undefined, database: "none (in-memory demo ERP)" });
    expect(rows[0]!.figure).toBe("12,000 exec/s (83.3 µs each)");
    expect(rows[1]!.figure).toBe("12,000 exec/s (83.3 µs each); 2 runs ended otherwise (EXPRESSION_TIMEOUT 2)");
    expect(rows[0]!.baseline).toBe("bare JSONata, the 1 evaluation of the flow's 1 expression (maps, conditions) in one run, compiled once: 30,000 runs/s (engine ÷ bare 0.4)");
    const lines = markdownTable([...rows, { ...rows[0]!, load: undefined, database: undefined }]).slice(2);
    expect(lines[0]).toContain("| — | now |");
    expect(lines[1]).toContain("| **no** | now |");
    expect(lines[2]).toContain("| not recorded | not recorded |");
  });
});
