import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** A module path into server/ or app/ (alias or relative), as an esquery regex. */
const FLOWS_FORBIDDEN = String.raw`/^@\/(server|app)(\/|$)|(^|\/)(server|app)\//`;

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
    // flows/ is the shared flow language: the designer ships it to the browser and the engine hosts
    // it (the executor contract is flows/runtime/), so it must not reach into server/ or app/.
    files: ["flows/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/server", "@/server/**", "@/app", "@/app/**", "**/server/**", "**/app/**"],
              message:
                "flows/ is the shared flow language (browser and engine): it imports only flows/ and libraries. Executors use the contract in flows/runtime/; the engine in server/ hosts it.",
            },
          ],
        },
      ],
      // The same boundary for what no-restricted-imports does not see: import("…") and typeof import("…").
      "no-restricted-syntax": [
        "error",
        {
          selector: `ImportExpression[source.value=${FLOWS_FORBIDDEN}], TSImportType[argument.literal.value=${FLOWS_FORBIDDEN}]`,
          message: "flows/ is the shared flow language (browser and engine): it imports only flows/ and libraries.",
        },
      ],
    },
  },
  {
    files: ["server/env.ts", "server/main.ts", "scripts/**", "bin/**", "playwright.config.ts", "e2e/**", "server/testing/**", "server/build/**", "**/*.test.ts", "next.config.js", "drizzle.config.ts", "bench/**"],
    rules: { "no-restricted-properties": "off" },
  },
);
