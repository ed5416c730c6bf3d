/**
 * `npm run bench`: runs every scenario, each beside the baseline measured in the
 * same run and its issue's target, and writes bench/results/latest.{md,json}.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchChain } from "./chain";
import { benchDesigner } from "./designer";
import { benchPreview } from "./designer-preview";
import { benchEngine } from "./engine";
import { exitOnInterrupt } from "./interrupt";
import { benchIncoming } from "./incoming";
import { benchLogsSearch, LOGS_SEARCH_TARGET_MS } from "./logs-search";
import { benchOutgoing } from "./outgoing";
import { chainRow, engineRows, markdownTable, SCENARIOS, type Row, type ScenarioId } from "./report";

/** `npm run bench` runs every scenario; `npm run bench -- designer engine` only those named. */
function selectedScenarios(args: string[]): ScenarioId[] {
  if (args.length === 0) return [...SCENARIOS];
  const unknown = args.filter((a) => !(SCENARIOS as readonly string[]).includes(a));
  if (unknown.length > 0) {
    process.stderr.write(`Unknown scenario ${unknown.join(", ")}: choose from ${SCENARIOS.join(", ")}\n`);
    process.exit(2);
  }
  return SCENARIOS.filter((s) => args.includes(s));
}

exitOnInterrupt();
const selected = selectedScenarios(process.argv.slice(2));
const loadAtStart = os.loadavg();
const load = (l: number[]) => l.map((n) => n.toFixed(1)).join(" / ");
const stamp = () => `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, load ${load(os.loadavg())}`;

const rows: Row[] = [];
const raw: Record<string, unknown> = {};
// With BENCH_DATABASE_URL, the chain, incoming, outgoing and logs-search scenarios each run on a fresh database
// created on that server (bench/fresh-database.ts); each result names its database.

if (selected.includes("chain")) {
  const chain = await benchChain();
  raw.chain = chain;
  rows.push(chainRow(chain, stamp()));
}

if (selected.includes("engine")) {
  const engine = await benchEngine();
  raw.engine = engine;
  rows.push(...engineRows(engine.flows, stamp()));
}

if (selected.includes("incoming")) {
  const incoming = await benchIncoming();
  raw.incoming = incoming;
  const f = incoming.flowport;
  const b = incoming.baseline;
  rows.push({
    id: "incoming",
    scenario: "incoming: published vendor-master over HTTP (web process only, worker off)",
    load: `${incoming.connections} connections, closed loop, ${incoming.durationMs / 1000} s, unique GSTINs`,
    database: incoming.database,
    figure: `${f.perSecond.toLocaleString("en-US")} req/s, p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms, non-2xx ${f.non2xx}; CPU per request: app ${f.cpu.appMsPerUnit} ms, PostgreSQL ${f.cpu.postgresMsPerUnit} ms`,
    baseline: `plain node:http + same JSONata + same inserts: ${b.perSecond.toLocaleString("en-US")} req/s, p50 ${b.p50Ms} ms, p99 ${b.p99Ms} ms; CPU per request: app ${b.cpu.appMsPerUnit} ms, PostgreSQL ${b.cpu.postgresMsPerUnit} ms`,
    target: "≥ 1,500 req/s, p99 < 50 ms, no non-2xx, ≥ baseline",
    met: f.perSecond >= 1500 && f.p99Ms < 50 && f.non2xx === 0 && f.perSecond >= b.perSecond,
    measured: stamp(),
  });
}

if (selected.includes("outgoing")) {
  const outgoing = await benchOutgoing();
  raw.outgoing = outgoing;
  const o = outgoing.flowport;
  rows.push({
    id: "outgoing",
    scenario: "outgoing: invoice approvals delivered by invoice-to-accounting to a local receiver (worker process only)",
    load: `a burst of ${outgoing.approvals.toLocaleString("en-US")} approvals from 8 connections, then a paced stream for ${outgoing.flowport.paced.seconds} s`,
    database: outgoing.database,
    figure:
      `burst: ${o.deliveredPerSec.toLocaleString("en-US")} logged deliveries/s (event-to-delivery p50 ${o.burstP50Ms} ms, p99 ${o.burstP99Ms} ms: queueing behind the burst); ` +
      `paced at ${o.paced.ratePerSec}/s for ${o.paced.seconds} s: event-to-delivery p50 ${o.paced.p50Ms} ms, p99 ${o.paced.p99Ms} ms; ` +
      `CPU per delivery (burst): worker ${o.cpu.appMsPerUnit} ms, PostgreSQL ${o.cpu.postgresMsPerUnit} ms (approvals included)`,
    baseline: `graphile-worker with a POST-only task: ${outgoing.baseline.deliveredPerSec.toLocaleString("en-US")}/s; CPU per job: worker ${outgoing.baseline.cpu.appMsPerUnit} ms, PostgreSQL ${outgoing.baseline.cpu.postgresMsPerUnit} ms`,
    target: "≥ 1,000 deliveries/s (burst), p50 < 100 ms (paced stream)",
    met: o.deliveredPerSec >= 1000 && o.paced.p50Ms < 100,
    measured: stamp(),
  });
}

if (selected.includes("designer")) {
  const designer = await benchDesigner();
  raw.designer = designer;
  rows.push({
    id: "designer",
    scenario: `designer: navigation to all ${designer.nodes} nodes rendered on the canvas, Chromium, production build (median of ${designer.runs.length})`,
    load: `one browser, ${designer.runs.length} navigations`,
    database: "embedded PostgreSQL",
    figure: `${designer.medianMs.toLocaleString("en-US")} ms (runs: ${designer.runs.join(", ")} ms)`,
    baseline: "—",
    target: `< ${designer.targetMs.toLocaleString("en-US")} ms`,
    met: designer.meetsTarget,
    measured: stamp(),
  });
  // The evaluation alone, in Node on one core: what the browser figure is made of.
  const evaluation = await benchPreview();
  raw.designerPreviewEvaluation = evaluation;
  const p = designer.preview;
  rows.push({
    id: "designer",
    scenario: `designer: live preview on a ${(p.sampleBytes / 1048576).toFixed(2)} MiB sample, Chromium: keydown in the map node's Monaco editor → the preview showing that edit's result (median of ${p.keystrokes.length} keystrokes)`,
    load: `one browser, ${p.keystrokes.length} keystrokes`,
    database: "embedded PostgreSQL (not on the measured path)",
    figure: `${p.medianMs} ms (p95 ${p.p95Ms} ms; runs: ${p.keystrokes.join(", ")} ms)`,
    baseline: `the evaluation alone (compile, evaluate, serialize) in Node, one core: ${evaluation.medianMs} ms median, p95 ${evaluation.p95Ms} ms; the page's own debounce is ${evaluation.debounceMs} ms`,
    target: `< ${p.targetMs} ms`,
    met: p.meetsTarget,
    measured: stamp(),
  });
}

if (selected.includes("logs-search")) {
  const logs = await benchLogsSearch();
  raw.logsSearch = logs;
  rows.push({
    id: "logs-search",
    database: logs.database,
    scenario: `logs-search: the Logs search box over ${logs.rows.toLocaleString("en-US")} executions (seeded in ${logs.seedSeconds} s), one page of 50, median of 7`,
    figure: logs.searches.map((s) => `${s.what}: ${s.roundTripMedianMs} ms (PostgreSQL ${s.postgresMedianMs} ms, ${s.found} shown)`).join("; "),
    baseline: "—",
    target: `< ${LOGS_SEARCH_TARGET_MS} ms each`,
    met: logs.meetsTarget,
    measured: stamp(),
  });
}

/**
 * The scenarios that run on BENCH_DATABASE_URL's server when it is set: the report keeps one row of
 * each per database (the embedded PostgreSQL and that server), so a run on one keeps the other's row.
 */
const ON_EITHER_DATABASE: readonly ScenarioId[] = ["chain", "incoming", "outgoing", "logs-search"];
const SERVER_KEY = " (BENCH_DATABASE_URL)";
const onServer = Boolean(process.env.BENCH_DATABASE_URL);
const isServerRow = (r: Partial<Row>) => /BENCH_DATABASE_URL/.test(r.database ?? "");
/** Whether this run replaces a kept row (or raw result) of scenario `id` measured on the server or not. */
const replaces = (id: ScenarioId, server: boolean) => selected.includes(id) && (!ON_EITHER_DATABASE.includes(id) || server === onServer);
if (onServer) {
  for (const id of ON_EITHER_DATABASE) {
    if (!(id in raw)) continue;
    raw[id + SERVER_KEY] = raw[id];
    delete raw[id];
  }
}

/** Rows of the last report for scenarios not run now (older reports had no ids: read the scenario's first word). */
function keptRows(file: string): Row[] {
  if (!fs.existsSync(file)) return [];
  const previous = JSON.parse(fs.readFileSync(file, "utf8")) as { machine?: string; rows?: (Partial<Row> & { scenario: string })[]; raw?: Record<string, unknown> };
  for (const [key, value] of Object.entries(previous.raw ?? {})) {
    const id = key.replace(SERVER_KEY, "") as ScenarioId;
    if (!(key in raw) && !replaces(id, key.endsWith(SERVER_KEY))) raw[key] = value;
  }
  const when = /(\d{4}-\d\d-\d\dT\d\d:\d\d)/.exec(previous.machine ?? "")?.[1]?.replace("T", " ");
  const startLoad = /at start ([\d. /]+)/.exec(previous.machine ?? "")?.[1]?.trim();
  return (previous.rows ?? [])
    .map((r) => ({ ...r, id: r.id ?? (r.scenario.split(":")[0] as ScenarioId) }) as Row)
    .filter((r) => SCENARIOS.includes(r.id) && !replaces(r.id, isServerRow(r)))
    .map((r) => ({ ...r, measured: r.measured ?? (when ? `${when} UTC${startLoad ? `, load ${startLoad}` : ""}` : "an earlier run") }));
}

const dir = path.join(import.meta.dirname, "results");
const all = [...keptRows(path.join(dir, "latest.json")), ...rows].sort((a, b) => SCENARIOS.indexOf(a.id) - SCENARIOS.indexOf(b.id));
const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}, ${new Date().toISOString()}; scenarios run: ${selected.join(", ")}; load average (1/5/15 min) at start ${load(loadAtStart)}, at end ${load(os.loadavg())}`;
const notes = [
  "Notes:",
  "- Every scenario shares the machine with whatever else runs on it: a load average above the core count means the figures are",
  "  depressed by neighbours. CPU milliseconds per request/delivery (app process and PostgreSQL, read from /proc during the measured",
  "  run) are the comparable figures across runs and against the baseline.",
  "- Outgoing: on the 10,000-approval burst, event-to-delivery is queueing time (the last approval waits behind all the others), so",
  "  throughput is measured on the burst (until every delivery is logged as succeeded) and latency on a paced stream of approvals at",
  "  half the measured burst throughput (at most 500/s) for 10 s: the latency a sustainable stream sees. The burst's own p50/p99 are",
  "  reported too.",
  "- Designer: both figures come from Chromium driving the production build. The preview figure is what a user waits for after a",
  "  keystroke (React re-rendering the designer, the debounce, the worker round trip, evaluation, the result's render); the Node",
  "  evaluation beside it is the part spent in JSONata.",
  "- Logs search: the page query the Logs run for a search term (an OR of the id and error-code indexes and the GIN index of the",
  "  flow key values), timed as a round trip from the bench process and as PostgreSQL's own execution time (EXPLAIN ANALYZE).",
  "- Chain: `npm start`'s process model with every example flow published, so each accepted vendor call is also a delivery by",
  "  vendor-to-payment-portal. Event→delivery is the load generator's send time → the receiver's arrival (one machine, one clock).",
  "  The backlog is the accepted calls not yet delivered when the load's last answer arrived; the bench waits up to 60 s for it to",
  "  empty. BENCH_SECONDS (default 10) and BENCH_CONNECTIONS (default 32) set the load; BENCH_DATABASE_URL runs it on a fresh",
  "  database created on that server (dropped after). Its baselines run afterwards on the same database while the app idles;",
  "  \"CPU per request: app\" is the launcher's process and the processes it started (web and worker, one process or two as",
  "  FLOWPORT_PROCESSES decides), PostgreSQL its server and every backend (on a shared",
  "  BENCH_DATABASE_URL server, other clients' backends too). Under this load the web process answers 32 calls at once, so",
  "  deliveries give way to the live calls (server/outgoing/give-way.ts: one job of up to 50 every 2 s while it lasts): most of",
  "  the load's deliveries wait for its end, which the event→delivery figures and the backlog show; CPU per request counts them.",
  "- Engine: one row per example flow, each beside bare JSONata evaluating that flow's own expressions: every one a dry run",
  "  evaluates (maps, branch, validate and send conditions), on the inputs and variables that run gave them (public API, compiled",
  "  once, Flowport's pure functions registered).",
  "- Rows kept from older reports may lack the load and database columns: \"not recorded\".",
  "- `npm run bench -- <scenario…>` runs only the named scenarios (chain, engine, incoming, outgoing, designer, logs-search); the other rows are",
  "  kept from the previous report, each with the date and load of its own measurement.",
];
const md = [
  "# Flowport benchmarks",
  "",
  `Machine: ${machine}`,
  "",
  ...markdownTable(all),
  "",
  ...notes,
  "",
].join("\n");
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, "latest.md"), md);
fs.writeFileSync(path.join(dir, "latest.json"), `${JSON.stringify({ machine, cores: os.cpus().length, rows: all, raw }, null, 2)}\n`);
process.stdout.write(md);
