/**
 * The report's rows and their Markdown (bench/results/latest.md): one home for how a
 * scenario's figures read, so the runner only measures and the formatting can be tested.
 * Every row states the load it was measured under (offered load, and the machine's load
 * average in "measured") and the database it ran on (issue 19, point 6).
 */
import type { ChainBenchResult } from "./chain";
import { count, describeBacklog } from "./chain-metrics";
import type { FlowEngineResult } from "./engine";

export const SCENARIOS = ["chain", "engine", "incoming", "outgoing", "designer", "logs-search"] as const;
export type ScenarioId = (typeof SCENARIOS)[number];

export interface Row {
  /** Which scenario measured it: rows of scenarios not run this time are kept from the last report. */
  id: ScenarioId;
  scenario: string;
  /** The offered load: connections and duration, a burst, one core… */
  load?: string;
  /** Where the data lived: embedded PostgreSQL, the PG 15 service, the in-memory ERP. */
  database?: string;
  figure: string;
  baseline: string;
  target: string;
  /** Undefined: the row has no target. */
  met: boolean | undefined;
  /** When, and at what load average, this row was measured. */
  measured: string;
}

export interface TargetCheck {
  what: string;
  actual: string;
  met: boolean;
}

const CHAIN_RATIO = 0.4;
const CHAIN_P99_MS = 100;
const CHAIN_DRAIN_MS = 30_000;

/** Issue 19's targets for the chain, each with its figure from this run. */
export function chainTargets(r: ChainBenchResult): TargetCheck[] {
  const f = r.flowport;
  const ratio = r.naive.perSecond > 0 ? f.perSecond / r.naive.perSecond : 0;
  const drain = f.delivery.drainMs;
  return [
    { what: `incoming ≥ ${CHAIN_RATIO}× the naive incoming`, actual: `${ratio.toFixed(2)}×`, met: ratio >= CHAIN_RATIO },
    { what: `p99 < ${CHAIN_P99_MS} ms`, actual: `${f.p99Ms} ms`, met: f.p99Ms < CHAIN_P99_MS },
    { what: "no non-2xx", actual: count(f.non2xx), met: f.non2xx === 0 && f.errors === 0 },
    {
      what: `backlog empty within ${CHAIN_DRAIN_MS / 1000} s of the load's end`,
      actual: drain === undefined ? `not empty after ${r.drainCapMs / 1000} s` : `${(drain / 1000).toFixed(1)} s`,
      met: drain !== undefined && drain <= CHAIN_DRAIN_MS,
    },
  ];
}

export function chainRow(r: ChainBenchResult, measured: string): Row {
  const f = r.flowport;
  const h = r.handChain;
  const n = r.naive;
  const targets = chainTargets(r);
  return {
    id: "chain",
    scenario:
      `chain, what users run: the app as \`npm start\` starts it (server/main.ts, FLOWPORT_ROLE unset: ${r.processModel ?? "web + worker"}), vendor-master calls over HTTP; each new vendor delivered by vendor-to-payment-portal to a local receiver`,
    load: `${r.connections} connections, closed loop, ${r.durationMs / 1000} s, unique GSTINs`,
    database: r.database,
    figure:
      `incoming ${count(f.perSecond)} req/s, p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms, non-2xx ${count(f.non2xx)}; ` +
      `event→delivery p50 ${f.delivery.p50Ms} ms, p99 ${f.delivery.p99Ms} ms; ${describeBacklog(f.delivery, r.drainCapMs)}` +
      `${f.duplicates > 0 ? `; ${count(f.duplicates)} repeated deliveries` : ""}; CPU per request: app ${f.cpu.appMsPerUnit} ms, PostgreSQL ${f.cpu.postgresMsPerUnit} ms`,
    baseline:
      `naive incoming (node:http, same JSONata, record + log row): ${count(n.perSecond)} req/s, p50 ${n.p50Ms} ms, p99 ${n.p99Ms} ms; ` +
      `hand-written chain (the same + an outbox row; 4 loops claim with SKIP LOCKED, post, mark done): ${count(h.perSecond)} req/s, p50 ${h.p50Ms} ms, p99 ${h.p99Ms} ms, ` +
      `event→delivery p50 ${h.delivery.p50Ms} ms, p99 ${h.delivery.p99Ms} ms, ${describeBacklog(h.delivery, r.drainCapMs)}`,
    target: targets.map((t) => `${t.what}: ${t.actual}, ${t.met ? "met" : "**not met**"}`).join("; "),
    met: targets.every((t) => t.met),
    measured,
  };
}

/** "; 2 runs ended otherwise (EXPRESSION_TIMEOUT 2)" when any did. */
function unexpectedRuns(f: FlowEngineResult): string {
  const entries = Object.entries(f.unexpected ?? {});
  if (entries.length === 0) return "";
  const total = entries.reduce((n, [, c]) => n + c, 0);
  return `; ${count(total)} run${total === 1 ? "" : "s"} ended otherwise (${entries.map(([code, c]) => `${code} ${count(c)}`).join(", ")})`;
}

function threadRuns(f: FlowEngineResult): string {
  const n = f.threadRuns ?? 0;
  return n === 0 ? "" : `; ${count(n)} evaluation${n === 1 ? "" : "s"} outran the 10 ms main-thread slice and ran again in a thread`;
}

export function engineRows(flows: FlowEngineResult[], measured: string): Row[] {
  return flows.map((f) => ({
    id: "engine",
    scenario: `engine: ${f.slug} (${f.direction}) dry run of its sample "${f.sample}" (nothing stored or sent)`,
    load: "one core, back to back",
    database: "none (in-memory demo ERP)",
    figure: `${count(f.engineExecPerSec)} exec/s (${f.engineMeanUs} µs each)${threadRuns(f)}${unexpectedRuns(f)}`,
    baseline: `bare JSONata, the ${f.evaluations} evaluation${f.evaluations === 1 ? "" : "s"} of the flow's ${f.expressions} expression${f.expressions === 1 ? "" : "s"} (maps, conditions) in one run, compiled once: ${count(f.bareJsonataPerSec)} runs/s (engine ÷ bare ${f.ratio})`,
    target: f.target !== undefined ? `≥ ${count(f.target)} exec/s` : "—",
    met: f.meetsTarget,
    measured,
  }));
}

const cell = (text: string | undefined) => (text ?? "not recorded").replaceAll("|", "\\|").replaceAll("\n", " ");

export function markdownTable(rows: Row[]): string[] {
  return [
    "| scenario | load | database | figure | baseline (same run) | target | met | measured |",
    "|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${cell(r.scenario)} | ${cell(r.load)} | ${cell(r.database)} | ${cell(r.figure)} | ${cell(r.baseline)} | ${cell(r.target)} | ${r.met === undefined ? "—" : r.met ? "yes" : "**no**"} | ${cell(r.measured)} |`,
    ),
  ];
}
