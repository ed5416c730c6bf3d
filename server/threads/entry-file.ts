/**
 * Where a worker thread's entry file is on disk, for the thread pools (server/drafts/draft-pool.ts,
 * server/engine/expression-threads.ts). Next compiles the pools' modules into .next, so their own
 * location is not the source tree there: look upwards from the module, from the launched script
 * and from the working folder.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The absolute path of `relative` (e.g. server/drafts/draft-worker.mjs) in the source tree. */
export function threadEntryFile(relative: string, moduleUrl: string): string {
  const here = moduleUrl.startsWith("file:") ? path.dirname(fileURLToPath(moduleUrl)) : undefined;
  const starts = [here, process.argv[1] ? path.dirname(path.resolve(process.argv[1])) : undefined, process.cwd()];
  for (const start of starts) {
    for (let dir = start; dir; dir = path.dirname(dir) === dir ? undefined : path.dirname(dir)) {
      const candidate = path.join(dir, relative);
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  throw new Error(`A thread entry (${relative}) was not found above ${starts.filter(Boolean).join(", ")}`);
}
