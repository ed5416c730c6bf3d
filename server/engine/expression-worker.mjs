// Entry of an expression thread (server/engine/expression-threads.ts). Plain JavaScript, so Node
// loads it as it is whoever started the pool (the tsx-run launcher, the CLI and tests, Next's
// bundled route handlers): it registers tsx in this thread, with the project's tsconfig for the
// "@/" paths, then loads the TypeScript task module.
import path from "node:path";
import { register } from "tsx/esm/api";

register({ tsconfig: path.resolve(import.meta.dirname, "../../tsconfig.json") });
const { runExpressionTask } = await import("./expression-task.ts");

export default runExpressionTask;
