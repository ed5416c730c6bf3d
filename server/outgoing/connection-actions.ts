/**
 * What a person (console or CLI) does to connections and credentials: one domain operation per
 * action, each in one transaction with its audit row (never the secret). A CLI `set` changes only
 * what it was given (`keepUnset`): a connection keeps its credential, headers and policy, a
 * credential its settings and owner, unless the command names a new value. The console sends
 * every field, so what it omits returns to its default.
 */
import type { Sql, TransactionSql } from "postgres";
import { auditAs, type Actor } from "@/server/audit/actor";
import { FlowError } from "@/server/engine/errors";
import type { Queryable } from "@/server/db/queryable";
import { parseRetrySchedule } from "@/flows/retry-schedule";
import { deleteConnection, getConnection, setConnection, type Connection, type SetConnectionInput } from "./connections";
import { deleteCredential, getCredential, listCredentials, setCredential, updateCredentialSettings, type CredentialSummary, type CredentialType } from "./credentials";

/**
 * A connection change: every field but the name may be left out. `retrySchedule` is the text
 * people write ("5s, 5m, 30m, 2h"; "default" or empty: the default schedule) or the delays in ms.
 */
export type ConnectionChange = Partial<Omit<SetConnectionInput, "name" | "retryScheduleMs">> & {
  name: string;
  retrySchedule?: string | number[] | null;
};

/** The schedule to store (null: the default), or VALIDATION_FAILED naming the part that is not a duration. */
function scheduleOf(value: string | number[] | null): number[] | null {
  if (value === null || Array.isArray(value)) return value;
  const text = value.trim();
  if (text === "" || text.toLowerCase() === "default") return null;
  const parsed = parseRetrySchedule(text);
  if (!parsed.ok) throw new FlowError("VALIDATION_FAILED", { message: parsed.message, details: { field: "retrySchedule" } });
  return parsed.scheduleMs;
}

const findConnection = (tx: TransactionSql, name: string) => getConnection(tx, name).catch((error: unknown) => (error instanceof FlowError && error.code === "NOT_FOUND" ? undefined : Promise.reject(error)));
const findCredential = (tx: TransactionSql, name: string) => getCredential(tx, name).catch((error: unknown) => (error instanceof FlowError && error.code === "NOT_FOUND" ? undefined : Promise.reject(error)));

/** What to store: the change over the stored connection (keepUnset), or the change alone (omitted fields take their defaults). */
function connectionToStore(change: ConnectionChange, existing: Connection | undefined, keepUnset: boolean): SetConnectionInput {
  const { retrySchedule, ...rest } = change;
  const base = keepUnset && existing ? existing : undefined;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<SetConnectionInput>;
  if (retrySchedule !== undefined) defined.retryScheduleMs = scheduleOf(retrySchedule);
  if (!base) {
    if (change.baseUrl === undefined) throw new FlowError("VALIDATION_FAILED", { message: `Connection "${change.name}" does not exist yet: give its URL (--url)` });
    return { ...defined, name: change.name, baseUrl: change.baseUrl };
  }
  return {
    name: base.name,
    baseUrl: base.baseUrl,
    method: base.method,
    defaultHeaders: base.defaultHeaders,
    credentialName: base.credentialName,
    timeoutMs: base.timeoutMs,
    retryScheduleMs: base.retryScheduleMs,
    maxAttempts: base.maxAttempts,
    allowPrivate: base.allowPrivate,
    followRedirects: base.followRedirects,
    owner: base.owner,
    maxInFlight: base.maxInFlight,
    maxPerSecond: base.maxPerSecond,
    ...defined,
  };
}

/** Creates or changes a connection. */
export async function saveConnection(sql: Sql, change: ConnectionChange, actor: Actor, options: { keepUnset?: boolean } = {}): Promise<Connection> {
  return sql.begin(async (tx) => {
    const existing = await findConnection(tx, change.name);
    const connection = await setConnection(tx, connectionToStore(change, existing, options.keepUnset ?? false));
    await auditAs(tx, actor, "connection.saved", connection.name, {
      baseUrl: connection.baseUrl,
      credentialName: connection.credentialName,
      allowPrivate: connection.allowPrivate,
      retryScheduleMs: connection.retryScheduleMs,
      maxAttempts: connection.maxAttempts,
    });
    return connection;
  });
}

export async function removeConnection(sql: Sql, input: { name: string }, actor: Actor): Promise<{ name: string }> {
  return sql.begin(async (tx) => {
    await deleteConnection(tx, input.name);
    await auditAs(tx, actor, "connection.deleted", input.name);
    return { name: input.name };
  });
}

export interface CredentialChange {
  name: string;
  /** Required for a new credential; with keepUnset, an existing credential keeps its type. */
  type?: CredentialType;
  /** Required to create one or change its type; omitted, the stored secret stays. */
  secret?: string;
  config?: Record<string, string>;
  owner?: string;
}

/**
 * Creates or edits a credential. With keepUnset (the CLI's `set`), the given settings are laid over
 * the stored ones of the same type; otherwise (the console's form) `config` replaces them.
 */
export async function saveCredential(sql: Sql, change: CredentialChange, actor: Actor, options: { keepUnset?: boolean } = {}): Promise<CredentialSummary> {
  return sql.begin(async (tx) => {
    const existing = await findCredential(tx, change.name);
    const type = change.type ?? (options.keepUnset ? existing?.type : undefined);
    if (type === undefined) throw new FlowError("VALIDATION_FAILED", { message: `Give the type of credential "${change.name}"` });
    const secretGiven = change.secret !== undefined && change.secret !== "";
    if (!secretGiven && (!existing || existing.type !== type)) {
      throw new FlowError("VALIDATION_FAILED", {
        message: existing ? `Changing the type of "${change.name}" needs its new secret` : `Enter the secret for "${change.name}"`,
      });
    }
    const keep = options.keepUnset && existing?.type === type ? existing : undefined;
    const config = { ...(keep?.config ?? {}), ...(change.config ?? {}) };
    const owner = change.owner ?? keep?.owner;
    const saved = secretGiven
      ? await setCredential(tx, { name: change.name, type, secret: change.secret!, config, ...(owner ? { owner } : {}) })
      : await updateCredentialSettings(tx, change.name, { config, ...(owner ? { owner } : {}) });
    await auditAs(tx, actor, existing ? "credential.updated" : "credential.created", saved.name, { type: saved.type, secretChanged: secretGiven, owner: saved.owner });
    return saved;
  });
}

export async function removeCredential(sql: Sql, input: { name: string }, actor: Actor): Promise<{ name: string }> {
  return sql.begin(async (tx) => {
    await deleteCredential(tx, input.name);
    await auditAs(tx, actor, "credential.deleted", input.name);
    return { name: input.name };
  });
}

/** Credential names only, for pickers (the credentials themselves need credentials.manage). */
export async function listCredentialNames(sql: Queryable): Promise<string[]> {
  return (await listCredentials(sql)).map((c) => c.name);
}
