/**
 * `flowport deliveries …`: the Failed Queue from the shell — list what failed for good, retry it
 * (optionally with an edited body), or discard it with a reason. Retries and discards are recorded
 * on the delivery with who (`cli:<os user>`) and when, and in the audit log, by the domain
 * operations in server/outgoing/delivery-actions.ts. The handlers take the SQL handle so tests
 * run them against a test database.
 */
import fs from "node:fs";
import type { Command } from "commander";
import type { Sql } from "postgres";
import { cliActor, type Actor } from "../../audit/actor";
import { FlowError } from "../../engine/errors";
import { deliveryActorName, discardFailedDeliveries, retryFailedDeliveries } from "../../outgoing/delivery-actions";
import { listFailed, type FailedDelivery } from "../../outgoing/failed-queue";
import { runCommand as run, type CommandAnswer } from "../run-command";

export type { CommandAnswer };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function deliveryIds(ids: string[]): string[] {
  const bad = ids.filter((id) => !UUID.test(id));
  if (bad.length > 0) throw new FlowError("VALIDATION_FAILED", { message: `Not a delivery id: ${bad.join(", ")}`, details: { invalid: bad } });
  return [...new Set(ids.map((id) => id.toLowerCase()))];
}

/** --payload: JSON text, or @path to a file holding it. */
export function parsePayload(option: string): unknown {
  let text = option;
  if (option.startsWith("@")) {
    try {
      text = fs.readFileSync(option.slice(1), "utf8");
    } catch (error) {
      throw new FlowError("VALIDATION_FAILED", { message: `Cannot read --payload file ${option.slice(1)}: ${(error as Error).message}` });
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FlowError("VALIDATION_FAILED", { message: `--payload is not valid JSON: ${(error as Error).message}` });
  }
}

function eligibility(d: FailedDelivery): string {
  if (!d.canRetry) return "no (its flow version no longer exists)";
  return d.retryable ? "yes" : "yes, but the failure was not retryable: fix the cause or edit the payload first";
}

const describeFailed = (d: FailedDelivery) =>
  [
    `${d.id}  ${d.flowSlug} v${d.flowVersion}  ${d.entity} ${d.recordId}  attempts ${d.attempts}/${d.maxAttempts}${d.failedAt ? `  failed ${d.failedAt.toISOString()}` : ""}`,
    `  reason: ${d.reason}`,
    ...(d.lastError ? [`  last error: ${d.lastError}`] : []),
    `  retry: ${eligibility(d)}`,
    ...d.audit.map((a) => `  ${a.action} by ${a.actor} at ${a.at}${a.reason ? `: ${a.reason}` : ""}${a.payloadEdited ? " (edited payload)" : ""}`),
  ].join("\n");

export interface ListFailedCommandOptions {
  flow?: string;
  limit?: string;
}

export async function listFailedCommand(sql: Sql, options: ListFailedCommandOptions = {}): Promise<CommandAnswer> {
  const limit = options.limit === undefined ? 50 : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new FlowError("VALIDATION_FAILED", { message: "--limit must be a positive whole number" });
  const deliveries = await listFailed(sql, { flowSlug: options.flow, limit });
  const where = options.flow ? ` for "${options.flow}"` : "";
  const human = deliveries.length === 0 ? `The Failed Queue is empty${where}.` : [`${deliveries.length} failed deliver${deliveries.length === 1 ? "y" : "ies"}${where}:`, ...deliveries.map(describeFailed)].join("\n");
  return { data: { ok: true, deliveries }, human };
}

/** Every id must have been acted on; otherwise exit 1, saying which were and which were not. */
function settled(action: string, asked: string[], done: string[], actor: string): CommandAnswer {
  const skipped = asked.filter((id) => !done.includes(id));
  const data = { ok: skipped.length === 0, [action]: done, skipped, actor };
  const human = [
    ...(done.length > 0 ? [`${action[0]!.toUpperCase()}${action.slice(1)} ${done.length} deliver${done.length === 1 ? "y" : "ies"} (as ${actor}): ${done.join(", ")}`] : []),
    ...(skipped.length > 0 ? [`Not ${action} (unknown, or not in a state that allows it): ${skipped.join(", ")}`] : []),
  ].join("\n");
  if (skipped.length > 0) throw new FlowError("WORKFLOW_RULE", { message: human, details: data });
  return { data, human };
}

export async function retryCommand(sql: Sql, ids: string[], options: { payload?: string } = {}, actor: Actor = cliActor()): Promise<CommandAnswer> {
  const asked = deliveryIds(ids);
  // One edited body belongs to one delivery: the same body for many would send one record's data for all.
  if (options.payload !== undefined && asked.length !== 1) throw new FlowError("VALIDATION_FAILED", { message: "--payload edits one delivery: give exactly one id" });
  const payloadOverride = options.payload === undefined ? undefined : parsePayload(options.payload);
  const done = await retryFailedDeliveries(sql, { ids: asked, ...(payloadOverride === undefined ? {} : { payload: payloadOverride }) }, actor);
  return settled("requeued", asked, done, deliveryActorName(actor));
}

export async function discardCommand(sql: Sql, ids: string[], options: { reason: string }, actor: Actor = cliActor()): Promise<CommandAnswer> {
  const asked = deliveryIds(ids);
  const done = await discardFailedDeliveries(sql, { ids: asked, reason: options.reason ?? "" }, actor);
  return settled("discarded", asked, done, deliveryActorName(actor));
}


export function registerDeliveryCommands(program: Command) {
  const deliveries = program.command("deliveries").description("outgoing deliveries: the Failed Queue (list, retry, discard)");
  deliveries
    .command("failed")
    .description("list deliveries that failed for good, newest first: why, attempts, last error, whether a retry can help")
    .option("--flow <slug>", "only this outgoing flow")
    .option("--limit <n>", "at most this many (up to 500)", "50")
    .option("--json", "print the result as JSON")
    .action((options: ListFailedCommandOptions & { json?: boolean }) => run(options, (sql) => listFailedCommand(sql, options)));
  deliveries
    .command("retry <ids...>")
    .description("send failed deliveries again (same Idempotency-Key, a fresh allowance of attempts); needs a running worker")
    .option("--payload <json|@file>", "edit and retry: send this body instead (one delivery; the original stays in its first attempt's log)")
    .option("--json", "print the result as JSON")
    .action((ids: string[], options: { payload?: string; json?: boolean }) => run(options, (sql) => retryCommand(sql, ids, options)));
  deliveries
    .command("discard <ids...>")
    .description("remove failed (or stop pending) deliveries for good")
    .requiredOption("--reason <text>", "why (kept on the delivery with who and when)")
    .option("--json", "print the result as JSON")
    .action((ids: string[], options: { reason: string; json?: boolean }) => run(options, (sql) => discardCommand(sql, ids, options)));
}
