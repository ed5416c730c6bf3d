/**
 * Connections: where outgoing flows send (the seed's §4.2 "Outgoing API Settings"). A send node
 * names a connection; the connection holds the base URL, default method and headers, the
 * credential to attach, the per-attempt timeout, the retry schedule and attempts (null: the default;
 * a flow's explicit send-node policy wins, dispatch.ts retryPolicyFor) and the admin's SSRF override.
 * Secrets never live here: headers that carry credentials are refused in favour of a credential.
 */
import { z } from "zod";
import { FlowError } from "@/server/engine/errors";
import { MAX_SCHEDULE_DELAYS, MAX_SCHEDULE_DELAY_MS } from "@/flows/retry-schedule";
import type { Queryable } from "@/server/db/queryable";
import { credentialNotFound, headerNameSchema, nameSchema, parseInput, type StoredCredential } from "./credentials";

export const DEFAULT_TIMEOUT_MS = 10_000;
export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Stored in plaintext, so these belong in a credential; the rest are set by the HTTP client. */
const REFUSED_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "host", "content-length", "transfer-encoding", "connection"]);

const baseUrlSchema = z
  .string()
  .refine((u) => URL.canParse(u), "not a valid absolute URL")
  .transform((u) => new URL(u))
  .refine((u) => u.protocol === "http:" || u.protocol === "https:", "only http and https URLs are allowed")
  .refine((u) => u.username === "" && u.password === "", "put user names and passwords in a credential, not in the URL")
  .refine((u) => u.hash === "", "a base URL cannot have a #fragment")
  .transform((u) => u.toString());

const headerValueSchema = z
  .string()
  .max(8000)
  .refine((v) => !/[\r\n\0]/.test(v), "header values cannot contain line breaks");
// Names are checked in superRefine: a record key failure would only say "Invalid key in record".
const headersSchema = z.record(z.string(), headerValueSchema).superRefine((headers, ctx) => {
  for (const name of Object.keys(headers)) {
    if (!headerNameSchema.safeParse(name).success) ctx.addIssue({ code: "custom", message: `"${name}" is not a valid HTTP header name` });
    else if (REFUSED_HEADERS.has(name.toLowerCase())) ctx.addIssue({ code: "custom", message: `${name} cannot be a default header (use a credential for secrets)` });
  }
});

const setConnectionSchema = z.strictObject({
  name: nameSchema,
  baseUrl: baseUrlSchema,
  method: z
    .string()
    .transform((m) => m.toUpperCase())
    .pipe(z.enum(METHODS))
    .default("POST"),
  defaultHeaders: headersSchema.default({}),
  credentialName: nameSchema.nullable().default(null),
  timeoutMs: z.int().min(100).max(120_000).default(DEFAULT_TIMEOUT_MS),
  /** Delays before the 2nd, 3rd, … attempt (the last repeats), ±20 % jitter; null: the default schedule. */
  retryScheduleMs: z.array(z.int().min(0).max(MAX_SCHEDULE_DELAY_MS)).min(1).max(MAX_SCHEDULE_DELAYS).nullable().default(null),
  /** Attempts in all, the first included; null: the default (8). */
  maxAttempts: z.int().min(1).max(20).nullable().default(null),
  allowPrivate: z.boolean().default(false),
  followRedirects: z.boolean().default(false),
  owner: z.string().min(1).max(200).default("external"),
  /** Receiver protection (receiver-limits.ts), across all workers: calls at once, calls per second; null = no limit. */
  maxInFlight: z.int().min(1).max(1_000).nullable().default(null),
  maxPerSecond: z.int().min(1).max(10_000).nullable().default(null),
});
export type SetConnectionInput = z.input<typeof setConnectionSchema>;

export interface Connection {
  id: string;
  name: string;
  baseUrl: string;
  method: (typeof METHODS)[number];
  defaultHeaders: Record<string, string>;
  credentialName: string | null;
  timeoutMs: number;
  retryScheduleMs: number[] | null;
  maxAttempts: number | null;
  allowPrivate: boolean;
  followRedirects: boolean;
  owner: string;
  maxInFlight: number | null;
  maxPerSecond: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export const connectionNotFound = (name: string) =>
  new FlowError("NOT_FOUND", {
    message: `No connection named "${name}" (create it with: flowport connections set ${name} --url …)`,
    retryable: false,
    details: { reason: "CONNECTION_NOT_FOUND", name },
  });

/** Creates or replaces a connection (every field: omitted ones return to their defaults). */
export async function setConnection(sql: Queryable, input: SetConnectionInput): Promise<Connection> {
  const data = parseInput(setConnectionSchema, input, "connection");
  if (data.credentialName !== null) {
    const [found] = await sql`select 1 from credentials where name = ${data.credentialName}`;
    if (!found) throw credentialNotFound(data.credentialName);
  }
  await sql`
    insert into connections (name, base_url, method, default_headers, credential_name, timeout_ms, retry_schedule_ms,
                             retry_max_attempts, allow_private, follow_redirects, owner, max_in_flight, max_per_second)
    values (${data.name}, ${data.baseUrl}, ${data.method}, ${sql.json(data.defaultHeaders)}, ${data.credentialName},
            ${data.timeoutMs}, ${data.retryScheduleMs}::integer[], ${data.maxAttempts}, ${data.allowPrivate}, ${data.followRedirects}, ${data.owner},
            ${data.maxInFlight}, ${data.maxPerSecond})
    on conflict (name) do update set base_url = excluded.base_url, method = excluded.method,
      default_headers = excluded.default_headers, credential_name = excluded.credential_name,
      timeout_ms = excluded.timeout_ms, retry_schedule_ms = excluded.retry_schedule_ms,
      retry_max_attempts = excluded.retry_max_attempts, allow_private = excluded.allow_private,
      follow_redirects = excluded.follow_redirects, owner = excluded.owner, max_in_flight = excluded.max_in_flight,
      max_per_second = excluded.max_per_second, updated_at = now()`;
  return getConnection(sql, data.name);
}

interface ConnectionRow {
  id: string;
  name: string;
  base_url: string;
  method: Connection["method"];
  default_headers: Record<string, string>;
  credential_name: string | null;
  timeout_ms: number;
  retry_schedule_ms: number[] | null;
  retry_max_attempts: number | null;
  allow_private: boolean;
  follow_redirects: boolean;
  owner: string;
  max_in_flight: number | null;
  max_per_second: number | null;
  created_at: Date;
  updated_at: Date;
}

async function findConnections(sql: Queryable, name?: string): Promise<Connection[]> {
  const rows = await sql<ConnectionRow[]>`
    select id, name, base_url, method, default_headers, credential_name, timeout_ms, retry_schedule_ms, retry_max_attempts,
           allow_private, follow_redirects, owner, max_in_flight, max_per_second, created_at, updated_at
    from connections ${name === undefined ? sql`` : sql`where name = ${name}`} order by name`;
  return rows.map(toConnection);
}

const toConnection = (r: ConnectionRow): Connection => ({
  id: r.id,
  name: r.name,
  baseUrl: r.base_url,
  method: r.method,
  defaultHeaders: r.default_headers,
  credentialName: r.credential_name,
  timeoutMs: r.timeout_ms,
  retryScheduleMs: r.retry_schedule_ms,
  maxAttempts: r.retry_max_attempts,
  allowPrivate: r.allow_private,
  followRedirects: r.follow_redirects,
  owner: r.owner,
  maxInFlight: r.max_in_flight,
  maxPerSecond: r.max_per_second,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * The named connection and the stored credential a request through it uses (`credentialName`, else
 * the connection's own), in one statement: an outgoing attempt reads both, fresh, every time.
 */
export async function getConnectionForSend(
  sql: Queryable,
  name: string,
  credentialName: string | undefined,
): Promise<{ connection: Connection; credential: StoredCredential | undefined }> {
  const [row] = await sql<(ConnectionRow & { credential_type: StoredCredential["type"] | null; credential_config: Record<string, string>; credential_secret_enc: string })[]>`
    select c.id, c.name, c.base_url, c.method, c.default_headers, c.credential_name, c.timeout_ms, c.retry_schedule_ms, c.retry_max_attempts,
           c.allow_private, c.follow_redirects, c.owner, c.max_in_flight, c.max_per_second, c.created_at, c.updated_at,
           k.type as credential_type, k.config as credential_config, k.secret_enc as credential_secret_enc
    from connections c left join credentials k on k.name = coalesce(${credentialName ?? null}::text, c.credential_name)
    where c.name = ${name}`;
  if (!row) throw connectionNotFound(name);
  return {
    connection: toConnection(row),
    credential: row.credential_type === null ? undefined : { type: row.credential_type, config: row.credential_config, secret_enc: row.credential_secret_enc },
  };
}

/** The named connection, or NOT_FOUND (not retryable: another attempt will not create it). */
export async function getConnection(sql: Queryable, name: string): Promise<Connection> {
  const [found] = await findConnections(sql, name);
  if (!found) throw connectionNotFound(name);
  return found;
}

export function listConnections(sql: Queryable): Promise<Connection[]> {
  return findConnections(sql);
}

export async function deleteConnection(sql: Queryable, name: string): Promise<void> {
  const deleted = await sql`delete from connections where name = ${name}`;
  if (deleted.count === 0) throw connectionNotFound(name);
}

/**
 * The URL of a request: the connection's base URL with the node's path appended (one slash
 * between them) and both query strings kept. The path can never change the host: it is appended
 * to the base's path, and the result is checked to stay on the base's origin.
 */
export function joinUrl(baseUrl: string, path: string): string {
  const base = new URL(baseUrl);
  const [pathPart = "", query] = path.split(/\?(.*)/s, 2) as [string, string | undefined];
  const trimmed = pathPart.replace(/^\/+/, "");
  const joined = new URL(base.toString());
  if (trimmed !== "") joined.pathname = `${base.pathname.replace(/\/+$/, "")}/${trimmed}`;
  if (query) for (const [key, value] of new URLSearchParams(query)) joined.searchParams.append(key, value);
  if (joined.origin !== base.origin) {
    throw new FlowError("VALIDATION_FAILED", { message: `The path ${path} leaves the connection's origin ${base.origin}` });
  }
  return joined.toString();
}
