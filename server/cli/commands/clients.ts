/**
 * `flowport clients …`: the API clients that may call incoming flows, and their keys and tokens.
 * The handlers are exported (and take the SQL handle) so tests run them against a test database;
 * each calls a domain operation (server/incoming/client-actions.ts) as `cli:<os user>`, which
 * writes the same audit row as the console; the commander actions only open the database and print.
 */
import type { Command } from "commander";
import type { Sql } from "postgres";
import { cliActor, type Actor } from "../../audit/actor";
import { createApiClient, revokeApiClient, rotateClientCredentials, updateApiClient } from "../../incoming/client-actions";
import { listClients, type ApiClientSummary, type CredentialChoice, type IssuedCredential } from "../../incoming/clients";
import { FlowError } from "../../engine/errors";
import { runCommand as run, type CommandAnswer } from "../run-command";

export type { CommandAnswer };

export const SHOWN_ONCE_WARNING = "Store these now: they will not be shown again.";


export interface CreateClientOptions {
  flows?: string;
  bearer?: boolean;
  both?: boolean;
  signingSecret?: boolean;
  requireSignature?: boolean;
  expiresInDays?: string;
  rateLimit?: string;
  allowIp?: string;
  description?: string;
}

const list = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** Commander hands numbers over as text; NaN is left for the validation to name. */
const numberOption = (value: string | undefined) => (value === undefined ? undefined : Number(value));

const when = (date: Date | null, none: string) => (date ? date.toISOString() : none);

function credentialLines(credentials: IssuedCredential[]): string[] {
  return credentials.map(
    (c) => `  ${(c.kind === "api_key" ? "API key (x-api-key)" : "Bearer token (Authorization)").padEnd(28)}  ${c.token}  expires ${when(c.expiresAt, "never")}`,
  );
}

export async function createClientCommand(sql: Sql, name: string, options: CreateClientOptions, actor: Actor = cliActor()): Promise<CommandAnswer> {
  const credentialKind: CredentialChoice = options.both ? "both" : options.bearer ? "bearer" : "api_key";
  const created = await createApiClient(sql, {
    name,
    description: options.description ?? "",
    // Without --flows the client may call no flow yet: access is granted, never assumed (--flows '*' for all).
    flowScopes: list(options.flows),
    ipAllowlist: list(options.allowIp),
    rateLimitPerMinute: numberOption(options.rateLimit) ?? null,
    withSigningSecret: options.signingSecret ?? false,
    requireSignature: options.requireSignature ?? false,
    credentialKind,
    expiresInDays: numberOption(options.expiresInDays),
  }, actor);
  const lines = [
    `Created API client "${created.client.name}" (flows: ${created.client.flowScopes.join(", ") || `none yet: flowport clients set ${created.client.name} --flows …`}).`,
    ...credentialLines(created.credentials),
  ];
  if (created.signingSecret) lines.push(`  ${"Signing secret (webhooks)".padEnd(28)}  ${created.signingSecret}`);
  lines.push(SHOWN_ONCE_WARNING);
  return { data: { ok: true, ...created, warning: SHOWN_ONCE_WARNING }, human: lines.join("\n") };
}

function describeClient(client: ApiClientSummary): string {
  const facts = [
    client.active ? "active" : "disabled",
    `flows: ${client.flowScopes.join(", ") || "none"}`,
    client.rateLimitPerMinute === null ? "no rate limit" : `${client.rateLimitPerMinute}/min`,
    client.ipAllowlist.length > 0 ? `from ${client.ipAllowlist.join(", ")}` : "any address",
    client.signingSecret ? `signing secret ${client.signingSecret}${client.requireSignature ? " (required)" : ""}` : "no signing secret",
    `last used ${when(client.lastUsedAt, "never")}`,
  ];
  const credentials = client.credentials.map(
    (c) => `    ${c.masked}  ${c.kind.padEnd(7)}  ${c.status.padEnd(7)}  expires ${when(c.expiresAt, "never")}  last used ${when(c.lastUsedAt, "never")}`,
  );
  return [`${client.name}  ${facts.join(" · ")}`, ...credentials].join("\n");
}

export async function listClientsCommand(sql: Sql): Promise<CommandAnswer> {
  const clients = await listClients(sql);
  return {
    data: { ok: true, clients },
    human: clients.length === 0 ? "No API clients yet: flowport clients create <name>" : clients.map(describeClient).join("\n"),
  };
}

export async function revokeClientCommand(sql: Sql, name: string, actor: Actor = cliActor()): Promise<CommandAnswer> {
  const result = await revokeApiClient(sql, { name }, actor);
  return {
    data: { ok: true, ...result },
    human: `Disabled API client "${name}" and revoked ${result.revokedPrefixes.length} credential(s); calls with them fail from now on.`,
  };
}

export interface SetClientOptions {
  flows?: string;
  rateLimit?: string;
  allowIp?: string;
  description?: string;
  requireSignature?: boolean;
}

/** Changes only what is given: an option left out keeps its value (`--rate-limit none` removes the limit). */
export async function setClientCommand(sql: Sql, name: string, options: SetClientOptions, actor: Actor = cliActor()): Promise<CommandAnswer> {
  const client = await updateApiClient(
    sql,
    {
      name,
      ...(options.flows !== undefined ? { flowScopes: list(options.flows) } : {}),
      ...(options.rateLimit !== undefined ? { rateLimitPerMinute: options.rateLimit === "none" ? null : Number(options.rateLimit) } : {}),
      ...(options.allowIp !== undefined ? { ipAllowlist: list(options.allowIp) } : {}),
      ...(options.description !== undefined ? { description: options.description } : {}),
      ...(options.requireSignature !== undefined ? { requireSignature: options.requireSignature } : {}),
    },
    actor,
  );
  return { data: { ok: true, client }, human: `Saved API client "${client.name}" (flows: ${client.flowScopes.join(", ") || "none"}).` };
}

export interface RotateClientOptions {
  overlapHours?: string;
  kind?: string;
  expiresInDays?: string;
}

export async function rotateClientCommand(sql: Sql, name: string, options: RotateClientOptions, actor: Actor = cliActor()): Promise<CommandAnswer> {
  const kind = options.kind as CredentialChoice | undefined;
  if (kind !== undefined && !["api_key", "bearer", "both"].includes(kind)) {
    throw new FlowError("VALIDATION_FAILED", { message: `--kind must be api_key, bearer or both (got ${kind})` });
  }
  const result = await rotateClientCredentials(sql, { name, overlapHours: numberOption(options.overlapHours), kind, expiresInDays: numberOption(options.expiresInDays) }, actor);
  const lines = [`Rotated credentials of "${name}".`, ...credentialLines(result.credentials)];
  for (const old of result.retiring) lines.push(`  ${old.prefix}_•••• stays valid until ${old.expiresAt.toISOString()}`);
  lines.push(SHOWN_ONCE_WARNING);
  return { data: { ok: true, ...result, warning: SHOWN_ONCE_WARNING }, human: lines.join("\n") };
}


export function registerClientCommands(program: Command) {
  const clients = program.command("clients").description("API clients that may call incoming flows, and their keys and tokens");
  clients
    .command("create <name>")
    .description("create an API client and print its API key (or bearer token) once")
    .option("--flows <slugs>", "comma-separated flow slugs it may call, or * for all (default: none yet)")
    .option("--bearer", "issue a bearer token instead of an API key")
    .option("--both", "issue an API key and a bearer token")
    .option("--signing-secret", "also issue a Standard Webhooks signing secret (whsec_…)")
    .option("--require-signature", "require a valid signature on every call (implies --signing-secret)")
    .option("--expires-in-days <n>", "the credential expires after n days")
    .option("--rate-limit <n>", "requests per minute")
    .option("--allow-ip <cidrs>", "comma-separated addresses or CIDR ranges it may call from")
    .option("--description <text>", "what this client is")
    .option("--json", "print the result as JSON")
    .action((name: string, options: CreateClientOptions & { json?: boolean }) => run(options, (sql) => createClientCommand(sql, name, options)));
  clients
    .command("set <name>")
    .description("change an API client; options left out keep their value")
    .option("--flows <slugs>", "comma-separated flow slugs it may call, * for all, or an empty string for none")
    .option("--rate-limit <n>", "requests per minute, or none")
    .option("--allow-ip <cidrs>", "comma-separated addresses or CIDR ranges it may call from (an empty string: any)")
    .option("--description <text>", "what this client is")
    .option("--require-signature", "require a valid signature on every call")
    .option("--no-require-signature", "stop requiring a signature")
    .option("--json", "print the result as JSON")
    .action((name: string, options: SetClientOptions & { json?: boolean }) => run(options, (sql) => setClientCommand(sql, name, options)));
  clients
    .command("list")
    .description("list API clients and their credentials (prefixes only, never secrets)")
    .option("--json", "print the result as JSON")
    .action((options: { json?: boolean }) => run(options, (sql) => listClientsCommand(sql)));
  clients
    .command("revoke <name>")
    .description("disable an API client and revoke all its credentials at once")
    .option("--json", "print the result as JSON")
    .action((name: string, options: { json?: boolean }) => run(options, (sql) => revokeClientCommand(sql, name)));
  clients
    .command("rotate <name>")
    .description("issue new credentials; the current ones stay valid for the overlap, then expire")
    .option("--overlap-hours <n>", "hours the old credentials stay valid", "24")
    .option("--kind <kind>", "api_key, bearer or both (default: the kinds it holds)")
    .option("--expires-in-days <n>", "lifetime of the new credentials (default: that of the ones replaced)")
    .option("--json", "print the result as JSON")
    .action((name: string, options: RotateClientOptions & { json?: boolean }) =>
      run(options, (sql) => rotateClientCommand(sql, name, options)),
    );
}
