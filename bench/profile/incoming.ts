/**
 * Profiling aid (not part of `npm run bench`): the incoming hot path and the
 * hand-written baseline under the same load, each with its CPU time per request
 * (app process and PostgreSQL, from /proc), so changes can be judged on a busy
 * machine where req/s alone is noisy. With --prof, the app writes a V8 CPU
 * profile into bench/profile/out/ (summarise it with bench/profile/summarise.ts).
 *   node --import tsx bench/profile/incoming.ts [seconds] [--prof] [--no-baseline]
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { findFreePort } from "../../server/db/embedded-postgres";
import { childEnv, postmasterPid, tempDataDir, waitUntil } from "../../server/testing/processes";
import { cpuMeter } from "../cpu";
import type { LoadResult } from "../load";

const ROOT = path.resolve(import.meta.dirname, "../..");
const OUT = path.join(import.meta.dirname, "out");
const seconds = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 10);
const prof = process.argv.includes("--prof");
const withBaseline = !process.argv.includes("--no-baseline");

function load(url: string, headers: Record<string, string>, prefix: string, durationMs: number): LoadResult {
  const out = execFileSync(process.execPath, ["--import", "tsx", path.join(ROOT, "bench/load-worker.ts"), JSON.stringify({ url, headers, prefix, durationMs, connections: 32 })], { cwd: ROOT });
  return JSON.parse(out.toString().trim().split("\n").at(-1)!) as LoadResult;
}

function measured(name: string, pid: number, postmaster: number, run: () => LoadResult) {
  const meter = cpuMeter({ app: pid, postmaster });
  const result = run();
  const { appMsPerUnit: app, postgresMsPerUnit: pg } = meter(result.requests);
  console.log(
    `${name.padEnd(9)} ${String(result.perSecond).padStart(5)} req/s  p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms  non2xx ${result.non2xx}  ` +
      `CPU/req: app ${app.toFixed(3)} ms, postgres ${pg.toFixed(3)} ms`,
  );
  return result;
}

const dataDir = tempDataDir("prof");
const children: ChildProcess[] = [];
process.once("exit", () => children.forEach((c) => c.kill("SIGKILL")));
try {
  fs.mkdirSync(OUT, { recursive: true });
  const port = await findFreePort();
  const profileFile = path.join(OUT, `incoming-${new Date().toISOString().replace(/[:.]/g, "-")}.cpuprofile`);
  const app = spawn(process.execPath, ["--import", "tsx", "bench/profile/incoming-server.ts", String(port), ...(prof ? [profileFile] : [])], {
    cwd: ROOT,
    env: childEnv({ FLOWPORT_DATA_DIR: dataDir, LOG_LEVEL: "error" }),
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(app);
  let appOut = "";
  app.stdout!.on("data", (d) => (appOut += d));
  await waitUntil(() => appOut.includes("ready "), 120_000, "the app");
  const dbUrl = /ready (\S+)/.exec(appOut)![1]!;
  const postmaster = postmasterPid(dataDir)!;
  const { apiKey } = JSON.parse(fs.readFileSync(path.join(dataDir, "demo-credentials.json"), "utf8")) as { apiKey: string };
  const headers = { "content-type": "application/json", "x-api-key": apiKey };
  const url = `http://127.0.0.1:${port}/api/v1/integration/incoming/vendor-master`;
  load(url, headers, "WRM", 3_000);
  if (prof) app.kill("SIGUSR2");
  measured("flowport", app.pid!, postmaster, () => load(url, headers, "FLP", seconds * 1000));
  app.kill("SIGTERM");
  await new Promise((r) => app.once("exit", r));
  if (prof) console.log(`profile: ${path.relative(ROOT, profileFile)}`);

  if (withBaseline) {
    // The app stopped its PostgreSQL: start it again for the baseline (guest boot of the same dir).
    const again = spawn(process.execPath, ["--import", "tsx", "bench/profile/incoming-server.ts", String(await findFreePort())], {
      cwd: ROOT,
      env: childEnv({ FLOWPORT_DATA_DIR: dataDir, LOG_LEVEL: "error" }),
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(again);
    let againOut = "";
    again.stdout!.on("data", (d) => (againOut += d));
    await waitUntil(() => againOut.includes("ready "), 120_000, "the database");
    const basePort = await findFreePort();
    const base = spawn(process.execPath, ["--import", "tsx", "bench/incoming-baseline.ts", /ready (\S+)/.exec(againOut)![1]!, String(basePort)], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(base);
    let ready = false;
    base.stdout!.on("data", (d) => (ready ||= String(d).includes("ready")));
    await waitUntil(() => ready, 30_000, "the baseline");
    const baseUrl = `http://127.0.0.1:${basePort}/`;
    load(baseUrl, headers, "WRB", 3_000);
    measured("baseline", base.pid!, postmasterPid(dataDir)!, () => load(baseUrl, headers, "BSL", seconds * 1000));
    base.kill("SIGTERM");
    again.kill("SIGTERM");
    await new Promise((r) => again.once("exit", r));
  }
  void dbUrl;
} finally {
  const pid = postmasterPid(dataDir);
  if (pid) process.kill(pid, "SIGQUIT");
  await new Promise((r) => setTimeout(r, 500));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
