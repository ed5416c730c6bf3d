/**
 * `flowport records …`: create ERP records, move them through their workflow and push them to an
 * outgoing flow ("Send to API") from the shell. Creating and transitioning emit the same events as
 * the app, so outgoing event flows run (a worker must be running to deliver them). The handlers
 * take the SQL handle so tests run them against a test database; each action is a domain operation
 * (server/records/record-actions.ts) run as `cli:<os user>`, audited like the console's.
 */
import type { Command } from "commander";
import type { Sql } from "postgres";
import { FlowError } from "../../engine/errors";
import { cliActor, type Actor } from "../../audit/actor";
import { waitForDeliveries, type DeliverySummary } from "../../outgoing/manual-send";
import { createRecordAs, pageRecords, sendRecordsAs, transitionRecordAs } from "../../records/record-actions";
import type { StoredRecord } from "../../records/store";
import { runCommand as run, type CommandAnswer } from "../run-command";

export type { CommandAnswer };


function parseData(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FlowError("VALIDATION_FAILED", { message: `--data is not valid JSON: ${error instanceof Error ? error.message : String(error)}` });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new FlowError("VALIDATION_FAILED", { message: "--data must be a JSON object of the record's fields" });
  }
  return value as Record<string, unknown>;
}

export async function createRecordCommand(sql: Sql, entity: string, options: { data: string }, actor: Actor = cliActor()): Promise<CommandAnswer> {
  const record = await createRecordAs(sql, { entity, data: parseData(options.data) }, actor).catch((error: unknown) => {
    // The entity contract lists every refused field; a terminal shows them all, not just the first.
    if (error instanceof FlowError && error.fieldErrors.length > 1) {
      throw new FlowError(error.code, { message: error.fieldErrors.map((e) => `${e.field}: ${e.message}`).join("; "), fieldErrors: error.fieldErrors });
    }
    throw error;
  });
  return { data: { ok: true, record }, human: `Created ${record.entity} ${record.recordId}${record.status ? ` (${record.status})` : ""}.` };
}

export async function transitionRecordCommand(sql: Sql, entity: string, recordId: string, status: string, actor: Actor = cliActor()): Promise<CommandAnswer> {
  const record = await transitionRecordAs(sql, { entity, recordId, toStatus: status }, actor);
  return { data: { ok: true, record }, human: `${record.entity} ${record.recordId} is now ${record.status}.` };
}

export interface ListRecordOptions {
  status?: string;
  search?: string;
  limit?: string;
}

const describeRecord = (r: StoredRecord) =>
  `${r.recordId.padEnd(20)} ${(r.status ?? "").padEnd(10)} ${r.createdAt.toISOString()}  ${JSON.stringify(r.data).slice(0, 120)}`;

/** Newest first; `--limit` (default 50, at most 500) caps how many. */
export async function listRecordsCommand(sql: Sql, entity: string, options: ListRecordOptions = {}): Promise<CommandAnswer> {
  const limit = options.limit === undefined ? 50 : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new FlowError("VALIDATION_FAILED", { message: "--limit must be a whole number from 1 to 500" });
  const { items, nextCursor } = await pageRecords(sql, { entity, status: options.status, search: options.search, limit });
  const where = [options.status ? `status ${options.status}` : "", options.search ? `matching "${options.search}"` : ""].filter(Boolean).join(", ");
  const human =
    items.length === 0
      ? `No ${entity} records${where ? ` (${where})` : ""}.`
      : [...items.map(describeRecord), `${items.length} record${items.length === 1 ? "" : "s"}${where ? ` (${where})` : ""}${nextCursor ? `; more exist (raise --limit)` : ""}`].join("\n");
  return { data: { ok: true, records: items, more: nextCursor !== null }, human };
}

const describeDelivery = (d: DeliverySummary) =>
  `  ${d.recordId}  ${d.status}  attempts ${d.attempts}${d.referenceId ? `  reference ${d.referenceId}` : ""}${d.lastError ? `  last error: ${d.lastError}` : ""}`;

export interface SendRecordOptions {
  flow: string;
  wait?: boolean;
  timeout?: string;
}

export async function sendRecordCommand(sql: Sql, entity: string, recordId: string, options: SendRecordOptions, actor: Actor = cliActor()): Promise<CommandAnswer> {
  const ids = await sendRecordsAs(sql, { entity, recordIds: [recordId], flowSlug: options.flow }, actor);
  if (!options.wait) {
    return { data: { ok: true, deliveryIds: ids }, human: `Queued ${entity} ${recordId} for "${options.flow}" (delivery ${ids.join(", ")}).` };
  }
  const timeoutMs = options.timeout === undefined ? 60_000 : Number(options.timeout) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new FlowError("VALIDATION_FAILED", { message: "--timeout must be a number of seconds" });
  const { done, deliveries } = await waitForDeliveries(sql, ids, timeoutMs);
  const ok = done && deliveries.every((d) => d.status === "succeeded");
  const head = !done
    ? `Still in progress after ${timeoutMs / 1000}s (is a worker running?):`
    : ok
      ? `Sent ${entity} ${recordId} to "${options.flow}":`
      : `Sending ${entity} ${recordId} to "${options.flow}" failed:`;
  const answer = { data: { ok, done, deliveries }, human: [head, ...deliveries.map(describeDelivery)].join("\n") };
  // A failed or unfinished send is an error (EXTERNAL_ERROR exits 6, unfinished 1: flows/app-errors.ts), with the deliveries in its details.
  if (!ok) throw new FlowError(done ? "EXTERNAL_ERROR" : "INTERNAL_ERROR", { message: answer.human, details: { done, deliveries } });
  return answer;
}


export function registerRecordCommands(program: Command) {
  const records = program.command("records").description("ERP records: list, create, change status, send to an outgoing flow");
  records
    .command("list <entity>")
    .description("list an entity's records, newest first")
    .option("--status <status>", "only records in this status")
    .option("--search <text>", "only records whose id or fields contain this text")
    .option("--limit <n>", "at most this many (up to 500)", "50")
    .option("--json", "print the result as JSON")
    .action((entity: string, options: ListRecordOptions & { json?: boolean }) => run(options, (sql) => listRecordsCommand(sql, entity, options)));
  records
    .command("create <entity>")
    .description("create a record (emits `created`, so outgoing event flows run)")
    .requiredOption("--data <json>", "the record's fields as a JSON object")
    .option("--json", "print the result as JSON")
    .action((entity: string, options: { data: string; json?: boolean }) => run(options, (sql) => createRecordCommand(sql, entity, options)));
  records
    .command("transition <entity> <recordId> <status>")
    .description("move a record to another status (e.g. approve an invoice), if its workflow allows it")
    .option("--json", "print the result as JSON")
    .action((entity: string, recordId: string, status: string, options: { json?: boolean }) =>
      run(options, (sql) => transitionRecordCommand(sql, entity, recordId, status)),
    );
  records
    .command("send <entity> <recordId>")
    .description('"Send to API": deliver a record through an outgoing flow')
    .requiredOption("--flow <slug>", "the outgoing flow")
    .option("--wait", "wait until delivered or failed (needs a running worker); exit code 1 when it failed or timed out")
    .option("--timeout <seconds>", "how long --wait waits", "60")
    .option("--json", "print the result as JSON")
    .action((entity: string, recordId: string, options: SendRecordOptions & { json?: boolean }) =>
      run(options, (sql) => sendRecordCommand(sql, entity, recordId, options)),
    );
}
