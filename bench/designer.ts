/**
 * Designer scenario (issue 6): time from navigation to every node of a 150-node flow rendered on the
 * canvas, in Chromium against the real app (production build, embedded PostgreSQL). "Rendered" is
 * when React Flow has measured every node card (the designer marks the moment on <body>); the figure
 * is milliseconds since the navigation started (performance.now() of the new page), median of runs.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import { findFreePort } from "../server/db/embedded-postgres";
import { ensureBuild } from "../server/build/ensure-build";
import { childEnv, postmasterPid, spawnNode, tempDataDir, waitUntil } from "../server/testing/processes";
import { serializeFlow } from "../flows/format";
import { largeFlow } from "./designer-flow";
import { exitOnInterrupt } from "./interrupt";

export interface DesignerBenchResult {
  nodes: number;
  runs: number[];
  medianMs: number;
  targetMs: number;
  meetsTarget: boolean;
}

const ROOT = path.resolve(import.meta.dirname, "..");
const TARGET_MS = 1500;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

export async function benchDesigner(options: { runs?: number; size?: number } = {}): Promise<DesignerBenchResult> {
  const runs = options.runs ?? 5;
  const size = options.size ?? 150;
  ensureBuild();
  const dataDir = tempDataDir("bench-designer");
  const port = await findFreePort();
  const app = spawnNode(["server/main.ts"], childEnv({ FLOWPORT_DATA_DIR: dataDir, PORT: String(port), FLOWPORT_ROLE: "web", LOG_LEVEL: "error" }));
  const stopApp = () => app.child.kill("SIGTERM");
  process.once("exit", stopApp);
  const browser = await chromium.launch({
    executablePath: fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const credentials = path.join(dataDir, "demo-credentials.json");
    await waitUntil(() => fs.existsSync(credentials) && app.output().includes("Flowport is running"), 120_000, "the app");
    const flow = largeFlow(size);
    const file = path.join(dataDir, `${flow.slug}.flow.json`);
    fs.writeFileSync(file, serializeFlow(flow));
    execFileSync(process.execPath, ["bin/flowport.js", "flows", "import", file], { cwd: ROOT, env: childEnv({ FLOWPORT_DATA_DIR: dataDir, LOG_LEVEL: "error" }) });

    const { adminEmail, adminPassword } = JSON.parse(fs.readFileSync(credentials, "utf8")) as { adminEmail: string; adminPassword: string };
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const base = `http://127.0.0.1:${port}`;
    await page.goto(`${base}/sign-in`);
    await page.getByLabel("Email").fill(adminEmail);
    await page.getByLabel("Password").fill(adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("navigation", { name: "Main" }).waitFor();

    const times: number[] = [];
    // One warm-up navigation (compiles nothing in production, but fills the HTTP and JS caches as a user's second visit would).
    for (let i = 0; i <= runs; i++) {
      await page.goto(`${base}/flows/${flow.slug}`);
      const handle = await page.waitForFunction(() => document.body.getAttribute("data-designer-rendered"), undefined, { timeout: 60_000 });
      const ms = Number(await handle.jsonValue());
      const rendered = await page.locator(".react-flow__node").count();
      if (rendered !== size) throw new Error(`expected ${size} nodes on the canvas, found ${rendered}`);
      if (i > 0) times.push(Math.round(ms));
    }
    const medianMs = median(times);
    return { nodes: size, runs: times, medianMs, targetMs: TARGET_MS, meetsTarget: medianMs < TARGET_MS };
  } finally {
    await browser.close();
    process.off("exit", stopApp);
    app.child.kill("SIGTERM");
    await app.exited;
    const pid = postmasterPid(dataDir);
    if (pid) process.kill(pid, "SIGQUIT");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith("bench/designer.ts")) {
  exitOnInterrupt();
  console.log(JSON.stringify(await benchDesigner(), null, 2));
}
