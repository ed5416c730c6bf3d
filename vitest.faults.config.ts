import { defineConfig } from "vitest/config";

/**
 * `npm run test:faults`: the fault-injection suite (faults/**). It kills and restarts real
 * processes and PostgreSQL, so its files run one at a time and stay out of the default
 * suite (vitest.config.ts includes only server, flows, app, bench and scripts).
 */
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    include: ["faults/**/*.test.ts"],
    globalSetup: ["server/testing/global-setup.ts"],
    testTimeout: 300_000,
    hookTimeout: 240_000,
    pool: "forks",
    fileParallelism: false,
    env: { LOG_LEVEL: "warn" },
  },
});
