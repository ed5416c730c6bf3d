// Entry of a draft-runner thread (server/drafts/draft-pool.ts). Plain JavaScript, so Node loads it
// as it is whoever started the pool: the tsx-run launcher, the CLI and tests, or Next's bundled
// route handlers (whose own code is compiled into .next). It registers tsx in this thread, with
// the project's tsconfig for the "@/" paths, then loads the TypeScript task module.
import path from "node:path";
import { register } from "tsx/esm/api";

register({ tsconfig: path.resolve(import.meta.dirname, "../../tsconfig.json") });
const { runDraftTask } = await import("./draft-tasks.ts");

export default runDraftTask;
