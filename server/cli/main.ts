/**
 * `flowport`: operations and automation from the shell. Every subcommand takes
 * --json. Subcommands live in ./commands, one file per domain (the tree: ./program.ts).
 */
import { ConfigError, env } from "../env";
import { logToStderr } from "../log";
import { buildProgram } from "./program";

const program = buildProgram();

logToStderr();

try {
  env();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

await program.parseAsync(process.argv);
