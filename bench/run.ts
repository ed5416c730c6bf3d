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
  figure: `${f.perSecond.toLocaleString("en-US")} req/s, p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms, non-2xx ${f.non2xx}`,
  baseline: `plain node:http + same JSONata + same inserts: ${b.perSecond.toLocaleString("en-US")} req/s, p50 ${b.p50Ms} ms, p99 ${b.p99Ms} ms`,
  target: "≥ 1,500 req/s, p99 < 50 ms, no non-2xx, ≥ baseline",
  met: f.perSecond >= 1500 && f.p99Ms < 50 && f.non2xx === 0 && f.perSecond >= b.perSecond,
});

const outgoing = await benchOutgoing();
raw.outgoing = outgoing;
rows.push({
  scenario: `outgoing: ${outgoing.approvals.toLocaleString("en-US")} invoice approvals delivered by invoice-to-accounting to a local receiver (worker process)`,
  figure: `${outgoing.flowport.deliveredPerSec.toLocaleString("en-US")} logged deliveries/s, event-to-delivery p50 ${outgoing.flowport.p50Ms} ms, p99 ${outgoing.flowport.p99Ms} ms`,
  baseline: `graphile-worker with a POST-only task: ${outgoing.baseline.deliveredPerSec.toLocaleString("en-US")}/s`,
  target: "≥ 1,000 deliveries/s, p50 < 100 ms",
  met: outgoing.flowport.deliveredPerSec >= 1000 && outgoing.flowport.p50Ms < 100,
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

const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}, ${new Date().toISOString()}`;
const md = [
  "# Flowport benchmarks",
  "",
  `Machine: ${machine}`,
  "",
  "| scenario | figure | baseline (same run) | target | met |",
  "|---|---|---|---|---|",
  ...rows.map((r) => `| ${r.scenario} | ${r.figure} | ${r.baseline} | ${r.target} | ${r.met ? "yes" : "**no**"} |`),
  "",
].join("\n");
const dir = path.join(import.meta.dirname, "results");
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, "latest.md"), md);
fs.writeFileSync(path.join(dir, "latest.json"), `${JSON.stringify({ machine, cores: os.cpus().length, rows, raw }, null, 2)}\n`);
process.stdout.write(md);
