/**
 * How every subcommand answers: a human line by default, the same data as JSON
 * with --json, and a non-zero exit code with a clear message on failure.
 */
import { AppLikeError, describeError } from "./errors";

export interface OutputOptions {
  json?: boolean;
}

export function print(options: OutputOptions, data: unknown, human: () => string): void {
  process.stdout.write(options.json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
}

export function fail(options: OutputOptions, error: unknown): never {
  const described: AppLikeError = describeError(error);
  if (options.json) process.stdout.write(`${JSON.stringify({ ok: false, error: described }, null, 2)}\n`);
  else process.stderr.write(`error: ${described.message}\n`);
  process.exit(described.exitCode ?? 1);
}
