/**
 * How every subcommand answers: a human line by default, the same data as JSON
 * with --json, and on failure a clear message and the exit code of the error table
 * (flows/app-errors.ts: 2 bad input, 3 not found, 4 conflict, 5 denied, 6 upstream, 7 retry later, 1 else).
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
  const { exitCode, ...shown } = described;
  if (options.json) process.stdout.write(`${JSON.stringify({ ok: false, error: shown }, null, 2)}\n`);
  else process.stderr.write(`error: ${described.message}\n`);
  process.exit(exitCode);
}
