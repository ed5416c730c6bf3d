/**
 * `npm run bench:ab` (issue 19): what each speed mechanism of server/db/unit-of-work.ts earns. The
 * chain scenario (bench/chain.ts: the app as `npm start` runs it, vendor-master calls whose records
 * are delivered by vendor-to-payment-portal, with its hand-written baselines) runs once per variant
 * in the same run: everything on, each mechanism switched off alone (FLOWPORT_UNIT_OF_WORK_OFF), and
 * everything on again last, so the spread between the two "on" rows shows the machine's own noise.
 * Writes bench/results/ab-unit-of-work.md: req/s, p99, delivery p99, the load average before and
 * after each row and the database of each row. A mechanism stays only while it earns >= 10 % over
 * its "off" row, and more than the noise: decide on a quiet machine (the load is in every row).
 *
 * BENCH_SECONDS (default 10) and BENCH_DATABASE_URL are read as bench/chain.ts reads them; BENCH_AB_ROUNDS
 * (default 1) repeats the variants, interleaved, and the report compares means.
 */
import fs from "node:fs";
import path from "node:path";
import type { Mechanism } from "../server/db/unit-of-work";
import { benchChain, type ChainBenchResult } from "./chain";
import { exitOnInterrupt } from "./interrupt";

export interface Variant {
  name: string;
  off: Mechanism[];
}

const VARIANTS: Variant[] = [
  { name: "all on", off: [] },
  { name: "batching off", off: ["batching"] },
  { name: "grouping off", off: ["grouping"] },
  { name: "giving way off", off: ["giving-way"] },
  { name: "all on (again)", off: [] },
];

const MECHANISMS: Mechanism[] = ["batching", "grouping", "giving-way"];

/** Mechanisms an earlier run decided against, removed from (or never kept in) unit-of-work.ts: the report keeps their figures. */
const REMOVED = [
  "coalescing (postgres.js writes whenever 1 KiB is queued; a 16 KiB threshold, through an option in our postgres.js patch," +
    " lets a group's record inserts share one socket write: 0.97 → 0.81 writes to PostgreSQL per incoming call under strace; a6f6647, with pipelining too, made 0.45)" +
    " earned 7.5 % on the incoming handler alone (1,202 vs 1,118 req/s, 3 pairs) and 10.3 % by mean on the chain" +
    " (510 vs 462 req/s) but −4 % to +35 % per round (463/444, 552/408, 514/535), on 2026-12-05 17:32–17:41 UTC, embedded PostgreSQL," +
    " load 1.7–5.2; not kept (issue 16's note has the figures).",
  "pipelining (BEGIN sent with the first statement, COMMIT queued behind the last without waiting for answers): earned 3.5 %" +
    " (608 req/s with it, 587 without; CPU/request 3.33 → 3.58 ms) in a three-round run on 2026-12-05 12:07 UTC, embedded PostgreSQL," +
    ' load 4.7–6.0, noise between "all on" rows 32.6 %; removed.',
];

export interface Measured {
  variant: Variant;
  loadBefore: string;
  loadAfter: string;
  result: ChainBenchResult;
}

const loadavg = () => fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" / ");
const cells = (values: string[]) => `| ${values.join(" | ")} |`;
const fixed = (n: number | undefined, digits = 0) => (n === undefined ? "–" : n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }));

async function measure(variant: Variant): Promise<Measured> {
  process.env.FLOWPORT_UNIT_OF_WORK_OFF = variant.off.join(",");
  const loadBefore = loadavg();
  process.stderr.write(`ab: ${variant.name} (load ${loadBefore})\n`);
  const result = await benchChain();
  return { variant, loadBefore, loadAfter: loadavg(), result };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
/** The round a row was measured in (BENCH_AB_ROUNDS names rows "…, round N"); 1 without rounds. */
const roundOf = (r: Measured) => Number(/, round (\d+)$/.exec(r.variant.name)?.[1] ?? 1);

export function abReport(rows: Measured[], startedAt: Date): string {
  const on = rows.filter((r) => r.variant.off.length === 0).map((r) => r.result.flowport.perSecond);
  const onMean = on.reduce((a, b) => a + b, 0) / on.length;
  const noise = on.length > 1 ? ((Math.max(...on) - Math.min(...on)) / onMean) * 100 : 0;
  const cpuOf = (r: Measured) => r.result.flowport.cpu.appMsPerUnit + r.result.flowport.cpu.postgresMsPerUnit;
  const onRows = rows.filter((r) => r.variant.off.length === 0);
  const onCpu = onRows.reduce((a, r) => a + cpuOf(r), 0) / onRows.length;
  const lines = [
    "# A/B of the unit-of-work mechanisms (issue 19)",
    "",
    `Run ${startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC by \`npm run bench:ab\` (bench/ab.ts): the chain scenario (bench/chain.ts) once per variant,` +
      ` ${rows[0]!.result.connections} connections, ${rows[0]!.result.durationMs / 1000} s each. "naive" is the same run's hand-written incoming baseline (record + log row) on the same database.`,
    "",
    "| variant | database | load avg before → after | incoming req/s | p50 ms | p99 ms | non-2xx | event→delivery p99 ms | backlog at end | CPU ms/request app + PostgreSQL | naive req/s | ratio to naive |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map(({ variant, loadBefore, loadAfter, result: r }) =>
      cells([
        variant.name,
        r.database,
        `${loadBefore} → ${loadAfter}`,
        fixed(r.flowport.perSecond),
        fixed(r.flowport.p50Ms, 1),
        fixed(r.flowport.p99Ms, 1),
        fixed(r.flowport.non2xx),
        fixed(r.flowport.delivery.p99Ms, 1),
        fixed(r.flowport.delivery.backlogAtEnd),
        `${fixed(r.flowport.cpu.appMsPerUnit, 2)} + ${fixed(r.flowport.cpu.postgresMsPerUnit, 2)}`,
        fixed(r.naive.perSecond),
        `${(r.flowport.perSecond / r.naive.perSecond).toFixed(2)}×`,
      ]),
    ),
    "",
    `Noise: the "all on" rows differ by ${noise.toFixed(1)} % of their mean (${fixed(onMean)} req/s).`,
    "",
    "A mechanism stays when it earns ≥ 10 % in req/s (above the noise, or in every round), or when the same work costs ≥ 10 % more CPU without it in every round.",
    "",
    "| mechanism | req/s on (mean of the \"all on\" rows) | req/s off (mean of its rows) | earns | earns per round (against that round's \"all on\" rows) | CPU ms/request on → off (app + PostgreSQL) | incoming p99 ms on → off (means) | verdict on this run |",
    "|---|---|---|---|---|---|---|---|",
    ...MECHANISMS.map((m) => {
      // With BENCH_AB_ROUNDS > 1 a variant has a row per round: its mean is compared.
      const offRows = rows.filter((r) => r.variant.off.length === 1 && r.variant.off[0] === m);
      if (offRows.length === 0) return `| ${m} | ${fixed(onMean)} | – | – | – | – | – | not measured |`;
      const offPerSecond = offRows.reduce((a, r) => a + r.result.flowport.perSecond, 0) / offRows.length;
      const offCpu = offRows.reduce((a, r) => a + cpuOf(r), 0) / offRows.length;
      const earns = (onMean / offPerSecond - 1) * 100;
      // Paired within each round (its "all on" rows ran minutes from its "off" row): a slow stretch of
      // the machine's moves both sides, where the spread over the whole run only says the run was noisy.
      const perRound = [...new Set(offRows.map(roundOf))].flatMap((round) => {
        const roundOn = rows.filter((r) => r.variant.off.length === 0 && roundOf(r) === round).map((r) => r.result.flowport.perSecond);
        const roundOff = offRows.filter((r) => roundOf(r) === round).map((r) => r.result.flowport.perSecond);
        return roundOn.length === 0 ? [] : [(mean(roundOn) / mean(roundOff) - 1) * 100];
      });
      const everyRound = perRound.length > 1 && perRound.every((e) => e >= 10);
      // The same work per request (a call and its delivery, the drain included in the CPU count): a
      // mechanism that saves CPU on it earns its keep even where req/s does not show it (batching
      // speeds the deliveries, which wait for the load's end while deliveries give way).
      const cpuSaves = (offCpu / onCpu - 1) * 100;
      const cpuPerRound = [...new Set(offRows.map(roundOf))].flatMap((round) => {
        const roundOn = rows.filter((r) => r.variant.off.length === 0 && roundOf(r) === round).map(cpuOf);
        const roundOff = offRows.filter((r) => roundOf(r) === round).map(cpuOf);
        return roundOn.length === 0 ? [] : [(mean(roundOff) / mean(roundOn) - 1) * 100];
      });
      const cpuEveryRound = cpuPerRound.length > 0 && cpuPerRound.every((e) => e >= 10);
      const verdict =
        earns >= 10 && earns > noise
          ? "keep (≥ 10 % and above the noise)"
          : earns >= 10 && everyRound
            ? `keep (≥ 10 % in each of ${perRound.length} rounds)`
            : cpuEveryRound && cpuSaves >= 10
              ? `keep (req/s ${earns.toFixed(1)} %, but ${cpuSaves.toFixed(0)} % more CPU per request without it${cpuPerRound.length > 1 ? `, ≥ 10 % in each of ${cpuPerRound.length} rounds` : ""})`
              : earns < 10
                ? "under 10 %: remove, unless a quiet-machine run says otherwise"
                : "within the noise: re-measure on a quiet machine";
      const cpu = `${fixed(onCpu, 2)} → ${fixed(offCpu, 2)} (${((offCpu / onCpu - 1) * 100).toFixed(0)} %)`;
      const rounds = perRound.length > 1 ? perRound.map((e) => `${e.toFixed(1)} %`).join(", ") : "–";
      const p99 = `${fixed(mean(onRows.map((r) => r.result.flowport.p99Ms)), 1)} → ${fixed(mean(offRows.map((r) => r.result.flowport.p99Ms)), 1)}`;
      return `| ${m} | ${fixed(onMean)} | ${fixed(offPerSecond)} | ${earns.toFixed(1)} % | ${rounds} | ${cpu} | ${p99} | ${verdict} |`;
    }),
    "",
    "The machine is shared: a row measured under a load average above the core count (2) says little on its own;",
    "CPU milliseconds per request (bench/cpu.ts: the app's main process and every PostgreSQL backend) swing far less with the",
    "neighbours' load than req/s, so read that column first on a loaded run.",
    ...(rows.some((r) => r.result.database.includes("BENCH_DATABASE_URL"))
      ? ["On a shared server (BENCH_DATABASE_URL) the PostgreSQL CPU counts every backend of that server, other users' included."]
      : []),
    "The decision must be re-made from a run on a quiet machine (load average below 1 before each row).",
    "",
    "Removed after an earlier run:",
    ...REMOVED.map((r) => `- ${r}`),
    "",
  ];
  return lines.join("\n");
}

if (process.argv[1]?.endsWith("bench/ab.ts")) {
  exitOnInterrupt();
  const startedAt = new Date();
  const rows: Measured[] = [];
  // A short unreported run first: the first start after a build pays for cold caches (disk, JIT,
  // a fresh cluster), which made the first "all on" row an outlier (429 req/s against 635 for the last).
  process.stderr.write("ab: warm-up (not reported)\n");
  await benchChain({ durationMs: 3_000 });
  // BENCH_AB_ROUNDS=3: every variant three times, interleaved, so a slow minute of the machine's does not land on one variant.
  const rounds = Math.max(1, Number(process.env.BENCH_AB_ROUNDS) || 1);
  for (let round = 1; round <= rounds; round++) {
    for (const variant of VARIANTS) rows.push(await measure(rounds > 1 ? { ...variant, name: `${variant.name}, round ${round}` } : variant));
  }
  const out = path.resolve(import.meta.dirname, "results/ab-unit-of-work.md");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, abReport(rows, startedAt));
  fs.writeFileSync(out.replace(/\.md$/, ".json"), JSON.stringify(rows, null, 2));
  process.stdout.write(`${abReport(rows, startedAt)}\nwritten to ${path.relative(process.cwd(), out)}\n`);
}
