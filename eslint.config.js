import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", ".data/**", "next-env.d.ts", "test-results/**", "playwright-report/**", "bench/results/**", "drizzle/meta/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", globalThis: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "warn",
      // One home for configuration: only server/env.ts reads process.env.
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through server/env.ts" }],
    },
  },
  {
    files: ["server/env.ts", "server/main.ts", "scripts/**", "bin/**", "playwright.config.ts", "e2e/**", "server/testing/**", "server/build/**", "**/*.test.ts", "next.config.js", "drizzle.config.ts", "bench/**"],
    rules: { "no-restricted-properties": "off" },
  },
);
