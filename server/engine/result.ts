/** How one record's run ended, as the caller will be answered (and the execution logged). */
import type { Outcome } from "@/flows/format";
import { renderResponse, type RenderedResponse } from "@/flows/status-rules";
import type { FlowError, SerializedFlowError } from "./errors";
import type { ErpRecord } from "./services";
import type { ExecutionContext } from "./types";

/** The outcome of one record: the whole execution, or one item of a batch. */
export interface RecordResult {
  outcome: Outcome;
  httpStatus: number;
  response: Record<string, unknown>;
  /** The answer's error code, or for ERROR the internal one (EXPRESSION_TIMEOUT…) for logs. */
  errorCode?: string;
  recordId?: string;
  record?: ErpRecord;
  referenceId?: string;
  error?: SerializedFlowError;
}

/** Validation-type failures answer with the FAILED rule's status; others keep theirs (401, 404, 502). */
function ownStatus(error: FlowError): number | undefined {
  return error.code === "VALIDATION_FAILED" || error.code === "WORKFLOW_RULE" ? undefined : error.httpStatus;
}

/** The answer for one record from how its run ended. */
export function recordResult(ctx: ExecutionContext, error: FlowError | undefined): RecordResult {
  let outcome: Outcome;
  let rendered: RenderedResponse;
  if (error) {
    outcome = error.outcome;
    rendered = renderResponse(ctx.statusRules, {
      outcome,
      errorCode: error.fieldErrors[0]?.code ?? error.code,
      message: error.message,
      errors: error.fieldErrors,
      httpStatus: ownStatus(error),
    });
  } else {
    const respond = ctx.respond;
    outcome = respond?.outcome ?? "SUCCESS";
    rendered = renderResponse(ctx.statusRules, {
      outcome,
      errorCode: respond?.errorCode,
      message: respond?.message,
      recordId: ctx.recordId,
      referenceId: ctx.referenceId,
    });
  }
  const code = outcome === "ERROR" ? error?.code : rendered.body.errorCode;
  const serialized = error?.toJSON();
  if (outcome === "ERROR") ctx.services.logger.warn({ flow: ctx.flow.slug, error: serialized }, "flow execution failed");
  // One literal of a fixed shape (no spreads): this runs once per execution and per batch item.
  const result: RecordResult = {
    outcome,
    httpStatus: rendered.httpStatus,
    response: rendered.body,
    errorCode: typeof code === "string" ? code : undefined,
    recordId: ctx.recordId,
    record: ctx.record,
    referenceId: ctx.referenceId,
    error: serialized,
  };
  return result;
}

