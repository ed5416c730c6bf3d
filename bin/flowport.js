#!/usr/bin/env node
// The `flowport` command. Runs the TypeScript CLI through tsx so the CLI, the app
// and the tests share one source of truth without a separate build step.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.env.TSX_TSCONFIG_PATH ??= path.join(root, "tsconfig.json");
register();
await import(path.join(root, "server/cli/main.ts"));
