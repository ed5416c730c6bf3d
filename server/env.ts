/**
 * Configuration, read once and validated with zod. Nothing else reads process.env:
 * every module asks `env()` instead, so a bad value stops start-up with a message
 * naming the variable rather than failing somewhere deep in a request.
 */
import path from "node:path";
import { z } from "zod";
import { invalidAllowlistEntries } from "./incoming/ip-allowlist";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** Empty strings count as unset: `.env` files and shells often export `FOO=`. */
const optionalString = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());

const schema = z.object({
  PORT: z.preprocess(
    (v) => (v === "" || v === undefined ? undefined : Number(v)),
    z.number({ message: "must be a number" }).int("must be a whole number").min(1).max(65535).default(3000),
  ),
  HOST: optionalString.default("0.0.0.0"),
  DATABASE_URL: optionalString.refine(
    (v) => v === undefined || /^postgres(ql)?:\/\//.test(v),
    "must be a postgres:// or postgresql:// URL",
  ),
  FLOWPORT_DATA_DIR: optionalString.default("./.data"),
  FLOWPORT_SECRET_KEY: optionalString.refine(
    (v) => v === undefined || Buffer.from(v, "base64").length === 32,
    "must be 32 bytes encoded as base64 (generate one with: openssl rand -base64 32)",
  ),
  FLOWPORT_PUBLIC_URL: optionalString.refine(
    (v) => v === undefined || URL.canParse(v),
    "must be an absolute URL such as https://erp.example.com",
  ),
  LOG_LEVEL: z.preprocess((v) => (v === "" ? undefined : v), z.enum(LOG_LEVELS).default("info")),
  /**
   * Days of execution logs kept for calls that belong to no flow (each flow has its own
   * retention_days, 30 by default); pruned nightly (server/logs/retention.ts).
   */
  FLOWPORT_LOG_RETENTION_DAYS: z.preprocess(
    (v) => (v === "" || v === undefined ? undefined : Number(v)),
    z.number({ message: "must be a number" }).int("must be a whole number").min(1).max(3650).default(30),
  ),
  /** GET /api/metrics answers only with `Authorization: Bearer <this token>`; unset → 401 always. */
  /** Console sign-in attempts allowed per client address per minute before 429 (brute-force guard). */
  FLOWPORT_SIGN_IN_ATTEMPTS_PER_MINUTE: z.preprocess(
    (v) => (v === "" || v === undefined ? undefined : Number(v)),
    z.number({ message: "must be a number" }).int("must be a whole number").min(1).max(100_000).default(10),
  ),
  FLOWPORT_METRICS_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, "must be at least 16 characters"),
  /**
   * Proxies (addresses or CIDR ranges, comma-separated) whose X-Forwarded-For is believed: the
   * client is the right-most hop none of them is (server/http/client-address.ts). Unset → none:
   * the socket's peer is the client and X-Forwarded-For is ignored.
   */
  FLOWPORT_TRUSTED_PROXIES: z.preprocess(
    (v) => (typeof v === "string" ? v.split(",").map((e) => e.trim()).filter(Boolean) : []),
    z.array(z.string()).superRefine((entries, ctx) => {
      const invalid = invalidAllowlistEntries(entries);
      if (invalid.length > 0) ctx.addIssue({ code: "custom", message: `not an IP address or CIDR range: ${invalid.join(", ")}` });
    }),
  ),
  /**
   * Drafts (dry runs, dry replays, `flows test`) run in a pool of worker threads, never on the thread
   * that answers API calls (server/drafts/draft-pool.ts): how many threads, how long one draft may
   * run before its thread is terminated, how many drafts may wait for a thread before new ones are
   * refused.
   */
  FLOWPORT_DRAFT_THREADS: z.preprocess(
    (v) => (v === "" || v === undefined ? undefined : Number(v)),
    z.number({ message: "must be a number" }).int("must be a whole number").min(1).max(16).default(1),
  ),
  FLOWPORT_DRAFT_TIMEOUT_MS: z.preprocess(
    (v) => (v === "" || v === undefined ? undefined : Number(v)),
    z.number({ message: "must be a number" }).int("must be a whole number").min(50).max(300_000).default(5_000),
  ),
  FLOWPORT_DRAFT_QUEUE: z.preprocess(
    (v) => (v === "" || v === undefined ? undefined : Number(v)),
    z.number({ message: "must be a number" }).int("must be a whole number").min(0).max(1_000).default(8),
  ),
  /**
   * Circuits per connection (server/outgoing/circuit.ts): consecutive retryable failures that open
   * one, how often an open one lets a probe through, and how fast a closing one releases what it held.
   */
  FLOWPORT_CIRCUIT_FAILURES: z.preprocess(
    (v) => (v === "" || v === undefined ? undefined : Number(v)),
    z.number({ message: "must be a number" }).int("must be a whole number").min(1).max(1_000).default(5),
  ),
  FLOWPORT_CIRCUIT_PROBE_MS: z.preprocess(
    (v) => (v === "" || v === undefined ? undefined : Number(v)),
    z.number({ message: "must be a number" }).int("must be a whole number").min(100).max(3_600_000).default(30_000),
  ),
  FLOWPORT_CIRCUIT_RELEASE_PER_SECOND: z.preprocess(
    (v) => (v === "" || v === undefined ? undefined : Number(v)),
    z.number({ message: "must be a number" }).int("must be a whole number").min(1).max(10_000).default(20),
  ),
  /** An open circuit still open after this long raises a second alert ("still open"). */
  FLOWPORT_CIRCUIT_ALERT_AFTER_MS: z.preprocess(
    (v) => (v === "" || v === undefined ? undefined : Number(v)),
    z.number({ message: "must be a number" }).int("must be a whole number").min(0).max(604_800_000).default(900_000),
  ),
  /**
   * Operations alerts also go to this connection (server/outgoing/alerts.ts), signed with Standard
   * Webhooks when its credential is a webhook_signing one; unset → in-app notices only.
   */
  FLOWPORT_OPS_WEBHOOK_CONNECTION: optionalString,
  /**
   * How many processes `npm start` runs (FLOWPORT_ROLE=all): 2 = a supervisor that boots the
   * database once and runs web and worker as two child processes (server/launcher/supervisor.ts);
   * 1 = both in one process; auto = 2 when the machine has two or more cores (outside `npm run dev`).
   */
  FLOWPORT_PROCESSES: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.enum(["auto", "1", "2"], { message: "must be auto, 1 or 2" }).default("auto"),
  ),
  /** Port of the demo receivers (server/demo/receivers.ts) the seeded demo connections call; unset → PORT + 1. */
  FLOWPORT_DEMO_PORT: z.preprocess(
    (v) => (v === "" || v === undefined ? undefined : Number(v)),
    z.number({ message: "must be a number" }).int("must be a whole number").min(1).max(65535).optional(),
  ),
  /** Which halves this process runs: both (npm start), the web server or the job worker. */
  FLOWPORT_ROLE: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["all", "web", "worker"]).default("all")),
  /** Internal: set by the supervisor on the web and worker processes it forks (server/launcher/supervisor.ts). */
  FLOWPORT_SUPERVISED: z.preprocess((v) => v === "1", z.boolean()),
  /**
   * Speed machinery to switch off (comma-separated: batching, grouping, giving-way; see
   * server/db/unit-of-work.ts): only for the A/B in bench/ab.ts, which measures what each one earns.
   */
  FLOWPORT_UNIT_OF_WORK_OFF: z.preprocess(
    (v) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : []),
    z
      .array(z.string())
      .refine(
        (names) => names.every((n) => n === "batching" || n === "grouping" || n === "giving-way"),
        "must list batching, grouping and/or giving-way, comma-separated (pipelining was removed: issue 19's A/B)",
      )
      .transform((names) => names as ("batching" | "grouping" | "giving-way")[]),
  ),
  /** Development mode (npm run dev): Next dev server and pretty logs. */
  FLOWPORT_DEV: z.preprocess((v) => v === "1" || v === "true", z.boolean()),
  NODE_ENV: optionalString,
});

export type Env = z.infer<typeof schema> & { dataDir: string; publicUrl: string; trustedProxies: readonly string[]; demoPort: number };

export class ConfigError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join("\n")}\nSee .env.example for every variable.`);
    this.name = "ConfigError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const parsed = result.data;
  const publicUrl = parsed.FLOWPORT_PUBLIC_URL ?? `http://localhost:${parsed.PORT}`;
  return {
    ...parsed,
    dataDir: path.resolve(parsed.FLOWPORT_DATA_DIR),
    publicUrl: publicUrl.replace(/\/+$/, ""),
    trustedProxies: Object.freeze(parsed.FLOWPORT_TRUSTED_PROXIES),
    demoPort: parsed.FLOWPORT_DEMO_PORT ?? (parsed.PORT === 65535 ? 65534 : parsed.PORT + 1),
  };
}

let cached: Env | undefined;

/** The process configuration, parsed on first use and then frozen. */
export function env(): Env {
  cached ??= Object.freeze(parseEnv(process.env));
  return cached;
}

/** The environment for a process this one starts (the supervisor's web and worker): ours plus overrides. */
export function childProcessEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

/** Tests and the launcher set variables before first use; this forgets the cached parse. */
export function resetEnvForTests(): void {
  cached = undefined;
}
