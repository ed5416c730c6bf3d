/**
 * `npm run bench`: runs every scenario, each beside the baseline measured in the
 * same run and its issue's target, and writes bench/results/latest.{md,json}.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchDesigner } from "./designer";
import { benchPreview } from "./designer-preview";
import { benchEngine } from "./engine";
import { exitOnInterrupt } from "./interrupt";
import { benchIncoming } from "./incoming";
import { benchOutgoing } from "./outgoing";

interface Row {
  scenario: string;
  figure: string;
  baseline: string;
  target: string;
  met: boolean;
}

exitOnInterrupt();
const loadAtStart = os.loadavg();

const rows: Row[] = [];
const raw: Record<string, unknown> = {};

const engine = await benchEngine();
raw.engine = engine;
rows.push({
  scenario: "engine: vendor-master dry run, store disabled, one core",
  figure: `${engine.engineExecPerSec.toLocaleString("en-US")} exec/s (${engine.engineMeanUs} µs each)`,
  baseline: `bare JSONata of the same mapping: ${engine.bareJsonataPerSec.toLocaleString("en-US")} eval/s`,
  target: `≥ ${engine.target.toLocaleString("en-US")} exec/s`,
  met: engine.meetsTarget,
});

const incoming = await benchIncoming();
raw.incoming = incoming;
const f = incoming.flowport;
const b = incoming.baseline;
rows.push({
  scenario: `incoming: published vendor-master over HTTP, ${incoming.connections} connections, ${incoming.durationMs / 1000} s, unique GSTINs (web process)`,
  figure: `${f.perSecond.toLocaleString("en-US")} req/s, p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms, non-2xx ${f.non2xx}; CPU per request: app ${f.cpu.appMsPerUnit} ms, PostgreSQL ${f.cpu.postgresMsPerUnit} ms`,
  baseline: `plain node:http + same JSONata + same inserts: ${b.perSecond.toLocaleString("en-US")} req/s, p50 ${b.p50Ms} ms, p99 ${b.p99Ms} ms; CPU per request: app ${b.cpu.appMsPerUnit} ms, PostgreSQL ${b.cpu.postgresMsPerUnit} ms`,
  target: "≥ 1,500 req/s, p99 < 50 ms, no non-2xx, ≥ baseline",
  met: f.perSecond >= 1500 && f.p99Ms < 50 && f.non2xx === 0 && f.perSecond >= b.perSecond,
});

const outgoing = await benchOutgoing();
raw.outgoing = outgoing;
const o = outgoing.flowport;
rows.push({
  scenario: `outgoing: invoice approvals delivered by invoice-to-accounting to a local receiver (worker process): a burst of ${outgoing.approvals.toLocaleString("en-US")}, then a paced stream`,
  figure:
    `burst: ${o.deliveredPerSec.toLocaleString("en-US")} logged deliveries/s (event-to-delivery p50 ${o.burstP50Ms} ms, p99 ${o.burstP99Ms} ms: queueing behind the burst); ` +
    `paced at ${o.paced.ratePerSec}/s for ${o.paced.seconds} s: event-to-delivery p50 ${o.paced.p50Ms} ms, p99 ${o.paced.p99Ms} ms; ` +
    `CPU per delivery (burst): worker ${o.cpu.appMsPerUnit} ms, PostgreSQL ${o.cpu.postgresMsPerUnit} ms (approvals included)`,
  baseline: `graphile-worker with a POST-only task: ${outgoing.baseline.deliveredPerSec.toLocaleString("en-US")}/s; CPU per job: worker ${outgoing.baseline.cpu.appMsPerUnit} ms, PostgreSQL ${outgoing.baseline.cpu.postgresMsPerUnit} ms`,
  target: "≥ 1,000 deliveries/s (burst), p50 < 100 ms (paced stream)",
  met: o.deliveredPerSec >= 1000 && o.paced.p50Ms < 100,
});

const designer = await benchDesigner();
raw.designer = designer;
rows.push({
  scenario: `designer: navigation to all ${designer.nodes} nodes rendered on the canvas, Chromium, production build (median of ${designer.runs.length})`,
  figure: `${designer.medianMs.toLocaleString("en-US")} ms (runs: ${designer.runs.join(", ")} ms)`,
  baseline: "—",
  target: `< ${designer.targetMs.toLocaleString("en-US")} ms`,
  met: designer.meetsTarget,
});

const preview = await benchPreview();
raw.designerPreview = preview;
rows.push({
  scenario: `designer: live preview of the map expression on a ${(preview.sampleBytes / 1048576).toFixed(2)} MiB sample (the preview worker's evaluation path in Node, one core, median of ${preview.runs}) + the ${preview.debounceMs} ms typing debounce`,
  figure: `${preview.medianMs} ms evaluation (p95 ${preview.p95Ms} ms) + ${preview.debounceMs} ms = ${Math.round(preview.medianMs + preview.debounceMs)} ms`,
  baseline: "—",
  target: `< ${preview.targetMs} ms`,
  met: preview.meetsTarget,
});

const load = (l: number[]) => l.map((n) => n.toFixed(1)).join(" / ");
const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}, ${new Date().toISOString()}; load average (1/5/15 min) at start ${load(loadAtStart)}, at end ${load(os.loadavg())}`;
const notes = [
  "Notes:",
  "- Every scenario shares the machine with whatever else runs on it: a load average above the core count means the figures are",
  "  depressed by neighbours. CPU milliseconds per request/delivery (app process and PostgreSQL, read from /proc during the measured",
  "  run) are the comparable figures across runs and against the baseline.",
  "- Outgoing: on the 10,000-approval burst, event-to-delivery is queueing time (the last approval waits behind all the others), so",
  "  throughput is measured on the burst (until every delivery is logged as succeeded) and latency on a paced stream of approvals at",
  "  half the measured burst throughput (at most 500/s) for 10 s: the latency a sustainable stream sees. The burst's own p50/p99 are",
  "  reported too.",
];
const md = [
  "# Flowport benchmarks",
  "",
  `Machine: ${machine}`,
  "",
  "| scenario | figure | baseline (same run) | target | met |",
  "|---|---|---|---|---|",
  ...rows.map((r) => `| ${r.scenario} | ${r.figure} | ${r.baseline} | ${r.target} | ${r.met ? "yes" : "**no**"} |`),
  "",
  ...notes,
  "",
].join("\n");
const dir = path.join(import.meta.dirname, "results");
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, "latest.md"), md);
fs.writeFileSync(path.join(dir, "latest.json"), `${JSON.stringify({ machine, cores: os.cpus().length, rows, raw }, null, 2)}\n`);
process.stdout.write(md);
