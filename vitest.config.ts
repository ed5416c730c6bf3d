import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    // Playwright's e2e/*.spec.ts must not be collected here.
    include: ["{server,flows,app,bench,scripts}/**/*.test.ts"],
    globalSetup: ["server/testing/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    env: { LOG_LEVEL: "warn" },
  },
});
