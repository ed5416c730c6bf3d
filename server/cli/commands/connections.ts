/**
 * `flowport connections …` and `flowport credentials …`: where outgoing flows send, and the
 * secrets the external system's owner gave us. A secret is read from stdin, never from argv
 * (argv shows up in `ps`, shell history and CI logs), and is never printed back: lists show the
 * last 4 characters at most. Handlers are exported and take the SQL handle, so tests run them; each
 * calls a domain operation (server/outgoing/connection-actions.ts) as `cli:<os user>`, audited like
 * the console. A `set` changes only what it is given: options left out keep their stored value.
 */
import type { Command } from "commander";
import type { Sql } from "postgres";
import { FlowError } from "../../engine/errors";
import { cliActor, type Actor } from "../../audit/actor";
import { listCircuits, type CircuitView } from "../../outgoing/circuit";
import { removeConnection, saveConnection, saveCredential } from "../../outgoing/connection-actions";
import { listConnections, type Connection } from "../../outgoing/connections";
import { formatRetrySchedule } from "@/flows/retry-schedule";
import { pauseConnection, resumeConnection } from "../../outgoing/pause-connection";
import { CREDENTIAL_TYPES, listCredentials, type CredentialSummary, type CredentialType } from "../../outgoing/credentials";
import { fail } from "../output";
import { runCommand as run, type CommandAnswer } from "../run-command";

export type { CommandAnswer };


export interface SetConnectionOptions {
  url?: string;
  method?: string;
  /** `--no-credential` (false) removes it. */
  credential?: string | false;
  header?: string[];
  timeoutMs?: string;
  /** Attempts in all; "default" clears it. */
  maxAttempts?: string;
  /** "5s, 5m, 30m, 2h"; "default" clears it. */
  retrySchedule?: string;
  allowPrivate?: boolean;
  followRedirects?: boolean;
  owner?: string;
  maxInFlight?: string;
  maxPerSecond?: string;
}

const invalid = (message: string) => new FlowError("VALIDATION_FAILED", { message });

/** `--header k=v` (repeatable) as a record; `k: v` is accepted too, as people paste it from curl. */
export function parseHeaderOptions(values: readonly string[] | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values ?? []) {
    const match = /^([^=:\s]+)\s*[=:]\s*(.*)$/s.exec(value);
    if (!match) throw invalid(`--header must be name=value (got ${value})`);
    headers[match[1]!] = match[2]!;
  }
  return headers;
}

const numberOption = (value: string | undefined) => (value === undefined ? undefined : Number(value));

function integerOption(flag: string, value: string): number {
  if (!/^\d+$/.test(value.trim())) throw invalid(`${flag} must be a whole number or "default" (got ${value})`);
  return Number(value);
}

function describeConnection(c: Connection): string {
  const facts = [
    `${c.method} ${c.baseUrl}`,
    c.credentialName ? `credential ${c.credentialName}` : "no credential",
    `timeout ${c.timeoutMs} ms`,
    `${c.maxAttempts ?? "default"} attempts`,
    `retry schedule ${c.retryScheduleMs ? formatRetrySchedule(c.retryScheduleMs) : "default"}`,
    ...(c.allowPrivate ? ["private targets allowed"] : []),
    ...(c.followRedirects ? ["follows redirects"] : []),
    ...(c.maxInFlight !== null ? [`at most ${c.maxInFlight} at once`] : []),
    ...(c.maxPerSecond !== null ? [`at most ${c.maxPerSecond}/s`] : []),
    `owner ${c.owner}`,
  ];
  const headers = Object.keys(c.defaultHeaders);
  if (headers.length > 0) facts.push(`headers ${headers.join(", ")}`);
  return `${c.name}  ${facts.join(" · ")}`;
}

export async function setConnectionCommand(sql: Sql, name: string, options: SetConnectionOptions, actor: Actor = cliActor()): Promise<CommandAnswer> {
  const maxAttempts = options.maxAttempts === undefined ? undefined : options.maxAttempts.trim().toLowerCase() === "default" ? null : integerOption("--max-attempts", options.maxAttempts);
  const connection = await saveConnection(
    sql,
    {
      name,
      ...(options.url !== undefined ? { baseUrl: options.url } : {}),
      ...(options.method ? { method: options.method } : {}),
      ...(options.header !== undefined ? { defaultHeaders: parseHeaderOptions(options.header) } : {}),
      ...(options.credential !== undefined ? { credentialName: options.credential === false ? null : options.credential } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: numberOption(options.timeoutMs) } : {}),
      ...(maxAttempts !== undefined ? { maxAttempts } : {}),
      ...(options.retrySchedule !== undefined ? { retrySchedule: options.retrySchedule } : {}),
      ...(options.allowPrivate !== undefined ? { allowPrivate: options.allowPrivate } : {}),
      ...(options.followRedirects !== undefined ? { followRedirects: options.followRedirects } : {}),
      ...(options.owner ? { owner: options.owner } : {}),
      ...(options.maxInFlight !== undefined ? { maxInFlight: numberOption(options.maxInFlight) ?? null } : {}),
      ...(options.maxPerSecond !== undefined ? { maxPerSecond: numberOption(options.maxPerSecond) ?? null } : {}),
    },
    actor,
    { keepUnset: true },
  );
  return { data: { ok: true, connection }, human: `Saved connection: ${describeConnection(connection)}` };
}

/** The circuit in words: "circuit open since 10:02:03Z, 12 held" (closed with nothing held: "circuit closed"). */
function describeCircuit(c: CircuitView | undefined): string {
  if (!c) return "circuit closed";
  const since = c.state !== "closed" && c.since ? ` since ${c.since.toISOString()}` : "";
  const until = c.state === "paused" ? (c.pausedUntil ? ` until ${c.pausedUntil.toISOString()}` : ` by ${c.pausedBy ?? "an operator"}`) : "";
  return `circuit ${c.state.replace("_", "-")}${since}${until}${c.held > 0 ? `, ${c.held} held` : ""}`;
}

export async function listConnectionsCommand(sql: Sql): Promise<CommandAnswer> {
  const [connections, circuits] = await Promise.all([listConnections(sql), listCircuits(sql)]);
  const circuitOf = (name: string) => circuits.find((c) => c.connection === name);
  return {
    data: { ok: true, connections: connections.map((c) => ({ ...c, circuit: circuitOf(c.name) })) },
    human:
      connections.length === 0
        ? "No connections yet: flowport connections set <name> --url https://…"
        : connections.map((c) => `${describeConnection(c)} · ${describeCircuit(circuitOf(c.name))}`).join("\n"),
  };
}

export async function pauseConnectionCommand(sql: Sql, name: string, options: { reason?: string }, actor: Actor = cliActor()): Promise<CommandAnswer> {
  const result = await pauseConnection(sql, { name, reason: options.reason }, actor);
  return { data: { ok: true, ...result }, human: `Paused connection "${name}": its deliveries wait (no attempts spent) until: flowport connections resume ${name}` };
}

export async function resumeConnectionCommand(sql: Sql, name: string, actor: Actor = cliActor()): Promise<CommandAnswer> {
  const result = await resumeConnection(sql, { name }, actor);
  return { data: { ok: true, ...result }, human: `Resumed connection "${name}": ${result.released ?? 0} waiting deliveries released.` };
}

export async function deleteConnectionCommand(sql: Sql, name: string, actor: Actor = cliActor()): Promise<CommandAnswer> {
  await removeConnection(sql, { name }, actor);
  return { data: { ok: true, name }, human: `Deleted connection "${name}".` };
}

export interface SetCredentialOptions {
  type?: string;
  header?: string;
  username?: string;
  tokenUrl?: string;
  clientId?: string;
  scope?: string;
  audience?: string;
  clientAuth?: string;
  owner?: string;
}

/** Which secret each type reads from stdin, for the messages. */
const SECRET_NAMES: Record<CredentialType, string> = {
  api_key: "the API key",
  bearer: "the bearer token",
  basic: "the password",
  webhook_signing: "the whsec_ signing secret",
  oauth2_client_credentials: "the client secret",
};

export async function setCredentialCommand(sql: Sql, name: string, options: SetCredentialOptions, secret: string, actor: Actor = cliActor()): Promise<CommandAnswer> {
  const type = options.type as CredentialType | undefined;
  // Without --type an existing credential keeps its type (saveCredential refuses a new one without it).
  if (type !== undefined && !CREDENTIAL_TYPES.includes(type)) throw invalid(`--type must be one of ${CREDENTIAL_TYPES.join(", ")}`);
  const config: Record<string, string> = {};
  const given: [keyof SetCredentialOptions, string][] = [
    ["header", "header"],
    ["username", "username"],
    ["tokenUrl", "tokenUrl"],
    ["clientId", "clientId"],
    ["scope", "scope"],
    ["audience", "audience"],
    ["clientAuth", "clientAuth"],
  ];
  for (const [option, key] of given) {
    const value = options[option];
    if (value !== undefined) config[key] = value;
  }
  const credential = await saveCredential(sql, { name, ...(type ? { type } : {}), secret, config, ...(options.owner ? { owner: options.owner } : {}) }, actor, { keepUnset: true });
  return {
    data: { ok: true, credential },
    human: `Saved ${credential.type} credential "${credential.name}" (${SECRET_NAMES[credential.type]} ${credential.masked}, encrypted; it will not be shown again).`,
  };
}

function describeCredential(c: CredentialSummary): string {
  const settings = Object.entries(c.config).map(([k, v]) => `${k}=${v}`);
  const token = c.accessTokenExpiresAt ? [`token cached until ${c.accessTokenExpiresAt.toISOString()}`] : [];
  return `${c.name}  ${[c.type, c.masked, ...settings, ...token, `owner ${c.owner}`].join(" · ")}`;
}

export async function listCredentialsCommand(sql: Sql): Promise<CommandAnswer> {
  const credentials = await listCredentials(sql);
  return {
    data: { ok: true, credentials },
    human: credentials.length === 0 ? "No credentials yet: flowport credentials set <name> --type … < secret.txt" : credentials.map(describeCredential).join("\n"),
  };
}

/** All of stdin with the trailing newline(s) removed; an empty secret is refused. */
export async function readSecretFromStdin(input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin): Promise<string> {
  if (input.isTTY) process.stderr.write("Paste the secret, then press Enter and Ctrl-D:\n");
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  const secret = Buffer.concat(chunks).toString("utf8").replace(/[\r\n]+$/, "");
  if (secret === "") throw invalid("No secret on stdin: pipe it in, e.g. `printf %s \"$TOKEN\" | flowport credentials set …`");
  return secret;
}


const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Registers both `connections` and `credentials`. */
export function registerConnectionCommands(program: Command) {
  const connections = program.command("connections").description("where outgoing flows send: base URL, headers, credential, timeout");
  connections
    .command("set <name>")
    .description("create a connection, or change one: options left out keep their value")
    .option("--url <url>", "base URL (http or https); a send node's path is appended (required for a new connection)")
    .option("--method <method>", "default method: GET, POST, PUT, PATCH or DELETE (default POST)")
    .option("--credential <name>", "credential to attach (see flowport credentials)")
    .option("--no-credential", "attach no credential")
    .option("--header <name=value>", "default header, repeatable", collect)
    .option("--timeout-ms <n>", "per-attempt timeout (default 10000)")
    .option("--max-attempts <n>", "attempts before a delivery goes to the Failed Queue, 1-20 (\"default\": 8); a flow's own send-node policy wins")
    .option("--retry-schedule <delays>", "delays before each retry, e.g. \"5s, 5m, 30m, 2h\" (the last repeats; \"default\": 5s, 5m, 30m, 2h, 5h, 10h, 10h)")
    .option("--allow-private", "admin override: allow loopback and private network targets")
    .option("--no-allow-private", "refuse loopback and private network targets again")
    .option("--follow-redirects", "follow redirects (each hop is checked again, at most 5)")
    .option("--no-follow-redirects", "do not follow redirects")
    .option("--owner <owner>", "who provided the endpoint (default external)")
    .option("--max-in-flight <n>", "receiver protection: calls at once, across all workers (default no limit)")
    .option("--max-per-second <n>", "receiver protection: calls per second, across all workers (default no limit)")
    .option("--json", "print the result as JSON")
    .action((name: string, options: SetConnectionOptions & { json?: boolean }) => run(options, (sql) => setConnectionCommand(sql, name, options)));
  connections
    .command("list")
    .description("list connections")
    .option("--json", "print the result as JSON")
    .action((options: { json?: boolean }) => run(options, (sql) => listConnectionsCommand(sql)));
  connections
    .command("pause <name>")
    .description("hold this connection's deliveries (no attempts spent) until resumed; audited")
    .option("--reason <text>", "why (kept in the audit log)")
    .option("--json", "print the result as JSON")
    .action((name: string, options: { reason?: string; json?: boolean }) => run(options, (sql) => pauseConnectionCommand(sql, name, options)));
  connections
    .command("resume <name>")
    .description("close the connection's circuit and release what it held, paced; audited")
    .option("--json", "print the result as JSON")
    .action((name: string, options: { json?: boolean }) => run(options, (sql) => resumeConnectionCommand(sql, name)));
  connections
    .command("delete <name>")
    .description("delete a connection")
    .option("--json", "print the result as JSON")
    .action((name: string, options: { json?: boolean }) => run(options, (sql) => deleteConnectionCommand(sql, name)));

  const credentials = program.command("credentials").description("secrets for outgoing connections, encrypted at rest and never shown again");
  credentials
    .command("set <name>")
    .description("create a credential or replace its secret (read from stdin, never from arguments); settings left out keep their value")
    .option("--type <type>", `${CREDENTIAL_TYPES.join(" | ")} (required for a new credential)`)
    .option("--header <name>", "api_key: the header carrying the key (default x-api-key)")
    .option("--username <user>", "basic: the user name (the password comes from stdin)")
    .option("--token-url <url>", "oauth2_client_credentials: the token endpoint")
    .option("--client-id <id>", "oauth2_client_credentials: the client id (the client secret comes from stdin)")
    .option("--scope <scope>", "oauth2_client_credentials: requested scope")
    .option("--audience <audience>", "oauth2_client_credentials: requested audience, for providers that need one")
    .option("--client-auth <how>", "oauth2_client_credentials: basic (default) or body")
    .option("--owner <owner>", "who provided the secret (default external)")
    .option("--json", "print the result as JSON")
    .action(async (name: string, options: SetCredentialOptions & { json?: boolean }) => {
      // Before opening the database: a missing secret should fail at once.
      let secret: string;
      try {
        secret = await readSecretFromStdin();
      } catch (error) {
        fail(options, error);
      }
      await run(options, (sql) => setCredentialCommand(sql, name, options, secret));
    });
  credentials
    .command("list")
    .description("list credentials (masked: the last 4 characters at most)")
    .option("--json", "print the result as JSON")
    .action((options: { json?: boolean }) => run(options, (sql) => listCredentialsCommand(sql)));
}
