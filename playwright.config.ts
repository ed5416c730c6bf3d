/**
 * Browser journeys against the production build, started exactly as `npm start`
 * starts it, on a fresh embedded database in a temporary data dir.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3917);

/** Debian's Chromium when present, else a Playwright-installed browser, else a clear error. */
function chromiumExecutable(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (fs.existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  const cache = path.join(os.homedir(), ".cache", "ms-playwright");
  if (fs.existsSync(cache) && fs.readdirSync(cache).some((d) => d.startsWith("chromium"))) return undefined;
  throw new Error(
    "No Chromium found for the browser tests. Install one: `sudo apt-get install -y chromium` (Debian/Ubuntu), " +
      "or `npx playwright install chromium`, or set CHROMIUM_PATH.",
  );
}

// One data dir per run, shared with the test workers through the environment.
process.env.E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "flowport-e2e-"));
fs.chmodSync(process.env.E2E_DATA_DIR, 0o755);

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  // The machine is shared by several test runs: a cold first render can take longer than the 5 s default.
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromiumExecutable(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "node --import tsx server/main.ts",
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    env: {
      PORT: String(PORT),
      FLOWPORT_DATA_DIR: process.env.E2E_DATA_DIR,
      DATABASE_URL: "",
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
      // Every journey signs in from 127.0.0.1, many times a minute; the limit itself is tested in vitest.
      FLOWPORT_SIGN_IN_ATTEMPTS_PER_MINUTE: "1000",
    },
  },
});
