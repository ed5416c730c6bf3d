/**
 * Structured logs with pino: JSON in production, pretty in development. Pretty
 * printing runs in-process (no transport worker thread) so it also works inside
 * Next's bundled route handlers.
 */
import pino, { type Logger } from "pino";
import pretty from "pino-pretty";
import { env } from "./env";
import { redactLogged, redactText } from "./incoming/redact";

/** Keys whose values never reach a log line, wherever they appear. */
export const REDACTED_KEYS = [
  "password",
  "secret",
  "token",
  "apiKey",
  "authorization",
  "*.password",
  "*.secret",
  "*.token",
  "*.apiKey",
  "*.authorization",
  'headers["x-api-key"]',
  "headers.authorization",
  "headers.cookie",
];

/**
 * A logged error as pino's own serializer gives it, with secrets taken out: its fields named like a
 * credential, at any depth (an HTTP client's error carries the request's headers), and what looks
 * like one in its message and stack (a connection string's password, `password=…`, a Bearer token).
 */
export function serializeError(error: unknown): unknown {
  const out: unknown = redactLogged(pino.stdSerializers.err(error as Error));
  if (typeof out === "string") return redactText(out);
  if (out === null || typeof out !== "object") return out;
  const text = (value: unknown) => (typeof value === "string" ? redactText(value) : value);
  const fields = out as Record<string, unknown>;
  return { ...fields, message: text(fields.message), stack: text(fields.stack) };
}

/** The options of every Flowport logger: tests that capture log lines build theirs from these. */
export function logOptions(level: string): pino.LoggerOptions {
  return { level, base: { app: "flowport" }, redact: { paths: REDACTED_KEYS, censor: "[redacted]" }, serializers: { err: serializeError } };
}

let toStderr = false;

/** The CLI keeps stdout for its answers (--json must parse): logs go to stderr. */
export function logToStderr(): void {
  toStderr = true;
}

function createLogger(): Logger {
  const { LOG_LEVEL, FLOWPORT_DEV } = env();
  const options = logOptions(LOG_LEVEL);
  const out = toStderr ? process.stderr : process.stdout;
  if (FLOWPORT_DEV || out.isTTY) {
    return pino(options, pretty({ sync: true, colorize: out.isTTY, ignore: "pid,hostname,app", destination: toStderr ? 2 : 1 }));
  }
  return pino(options, pino.destination({ dest: toStderr ? 2 : 1, sync: false }));
}

const key = Symbol.for("flowport.logger");
type WithLogger = typeof globalThis & { [key]?: Logger };

/** The process-wide logger, shared by the launcher and Next's bundled route modules. */
export function logger(): Logger {
  const g = globalThis as WithLogger;
  g[key] ??= createLogger();
  return g[key];
}
