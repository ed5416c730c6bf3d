/**
 * Builds the Next.js app when there is no production build, or when a source file
 * is newer than the build: `npm start` on a fresh clone just works, and `npm test`
 * never runs the browser tests against stale code. Runs inside the launcher (so
 * `npm start` is a single process that receives signals) or as a script.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SOURCES = ["app", "server", "flows", "next.config.js", "package.json", "tsconfig.json"];

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of fs.readdirSync(entry)) {
    if (name === "node_modules" || name.endsWith(".test.ts")) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, name)));
  }
  return newest;
}

export function ensureBuild(): void {
  const built = fs.statSync(path.join(ROOT, ".next", "BUILD_ID"), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const changed = Math.max(...SOURCES.map((s) => newestMtime(path.join(ROOT, s))));
  if (built !== 0 && changed <= built) return;
  process.stdout.write(built === 0 ? "No production build yet: building (about a minute)…\n" : "Sources changed since the last build: rebuilding…\n");
  // A dev server's generated types can break a production build.
  fs.rmSync(path.join(ROOT, ".next", "dev"), { recursive: true, force: true });
  execFileSync(process.execPath, [path.join(ROOT, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) ensureBuild();
