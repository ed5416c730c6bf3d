/**
 * The answer previews beside the return status rules: for each outcome, what this flow's caller
 * would receive, built from the flow's own parts the way the engine builds a real answer — the
 * store's entity and its numbering series (LEAD-1001), the SUCCESS respond node's message, the first
 * validation rule's error, the flow's unique rule or the entity's unique key (the record store's own
 * duplicate message), the error table's defaults otherwise — and rendered by renderResponse, which
 * the engine uses for every execution. Pure and client-safe.
 */
import { appErrorMessage } from "./app-errors";
import { duplicateKeyError, findEntity, keyName } from "./erp/entities";
import { OUTCOMES, type FlowFile, type FlowNode, type Outcome, type StatusRules } from "./format";
import { ruleError, ruleName, type ValidationRule } from "./nodes/validate/rules";
import { renderResponse, type RenderedResponse, type RenderResponseInput, type ResponseFieldError } from "./status-rules";

export interface AnswerPreview {
  outcome: Outcome;
  input: RenderResponseInput;
  rendered: RenderedResponse;
  /** Where the example comes from, or (possible false) why the outcome cannot happen in this flow. */
  source: string;
  possible: boolean;
}

const ofType = (flow: FlowFile, type: string) => flow.nodes.filter((n) => n.type === type);

function rulesOf(node: FlowNode): ValidationRule[] {
  const rules = node.config.rules;
  return Array.isArray(rules) ? (rules as ValidationRule[]) : [];
}

function fieldError(rule: ValidationRule): ResponseFieldError {
  const { code, message } = ruleError(rule);
  return { field: rule.field, rule: ruleName(rule), code, message };
}

function respondWith(flow: FlowFile, status: Outcome): FlowNode | undefined {
  return ofType(flow, "respond").find((n) => n.config.status === status);
}

const STORE_BACKED = new Set(["unique", "exists"]);

/** What each outcome would answer for this flow (with `rules`, the flow's by default), in OUTCOMES order. */
export function answerPreviews(flow: FlowFile, rules: StatusRules = flow.statusRules): AnswerPreview[] {
  const store = ofType(flow, "store")[0];
  const entity = typeof store?.config.entity === "string" ? findEntity(store.config.entity) : undefined;
  const checks = ofType(flow, "validate").flatMap(rulesOf);
  const previews: Record<Outcome, Omit<AnswerPreview, "rendered" | "outcome" | "possible"> & { possible?: false }> = {} as never;

  // SUCCESS: the id the entity's series gives a new record (the record store numbers from the entity's
  // own series) and the SUCCESS respond node's message, which replaces the rule's.
  const success = respondWith(flow, "SUCCESS");
  const successMessage = typeof success?.config.message === "string" ? success.config.message : undefined;
  previews.SUCCESS = {
    input: { outcome: "SUCCESS", ...(entity ? { recordId: `${entity.series.prefix}${entity.series.start}` } : {}), ...(successMessage ? { message: successMessage } : {}) },
    source: [
      entity ? `a new ${entity.label.toLowerCase()}, numbered from ${entity.series.prefix}` : "a run that saves no record (so no recordId)",
      ...(successMessage ? [`the message set on the node “${success!.name || success!.id}”`] : []),
    ].join("; "),
  };

  // FAILED: the first rule checked without the database, as the validate node reports it; else a
  // FAILED respond node of the flow; else the error table's VALIDATION_FAILED.
  const local = checks.find((r) => !STORE_BACKED.has(r.rule)) ?? checks.find((r) => r.rule === "exists");
  const failedRespond = respondWith(flow, "FAILED");
  if (local) {
    const e = fieldError(local);
    previews.FAILED = { input: { outcome: "FAILED", errorCode: e.code, message: e.message, errors: [e] }, source: `the rule on ${local.field}` };
  } else if (failedRespond) {
    const code = typeof failedRespond.config.errorCode === "string" ? failedRespond.config.errorCode : undefined;
    const message = typeof failedRespond.config.message === "string" ? failedRespond.config.message : undefined;
    previews.FAILED = { input: { outcome: "FAILED", errorCode: code, message }, source: `the node “${failedRespond.name || failedRespond.id}”` };
  } else {
    previews.FAILED = { input: { outcome: "FAILED", errorCode: "VALIDATION_FAILED", message: appErrorMessage("VALIDATION_FAILED") }, source: "the error table's default" };
  }

  // DUPLICATE: the flow's unique rule (checked before saving), else the entity's unique key (the store
  // refuses the insert), else it cannot happen.
  const unique = checks.find((r) => r.rule === "unique");
  const key = entity?.uniqueKeys[0];
  if (unique) {
    const e = fieldError(unique);
    previews.DUPLICATE = { input: { outcome: "DUPLICATE", errorCode: e.code, message: e.message, errors: [e] }, source: `the unique rule on ${unique.field}` };
  } else if (entity && key && store?.config.mode !== "upsert") {
    const { message, fieldErrors } = duplicateKeyError(entity, keyName(key));
    previews.DUPLICATE = { input: { outcome: "DUPLICATE", errorCode: fieldErrors[0]!.code, message, errors: fieldErrors }, source: `${entity.label}'s unique key ${keyName(key)}` };
  } else {
    previews.DUPLICATE = {
      input: { outcome: "DUPLICATE", errorCode: "DUPLICATE_RECORD", message: appErrorMessage("DUPLICATE_RECORD") },
      source: entity && store?.config.mode === "upsert" ? "the flow updates the record with the same key" : entity ? `${entity.label} has no unique key` : "nothing is checked for duplicates",
      possible: false,
    };
  }

  previews.ERROR = { input: { outcome: "ERROR" }, source: "an unexpected failure (its cause stays in the log, never in the answer)" };

  return OUTCOMES.map((outcome) => ({ outcome, ...previews[outcome], possible: previews[outcome].possible ?? true, rendered: renderResponse(rules, previews[outcome].input) }));
}
