// server-only: executor. Never imported by client code (flows/nodes/registry.ts holds definitions only).
import { FlowError } from "@/flows/runtime/errors";
import { jsonataBoolean } from "@/flows/runtime/expression";
import type { OutgoingRequest, OutgoingResponse } from "@/flows/runtime/services";
import type { NodeExecutor } from "@/flows/runtime/types";
import type { SendConfig } from "./definition";

/**
 * A receiver that wants no more attempts of this message says so with this answer header (Svix's
 * convention, documented in the README): whatever the status, retries end at once.
 */
export const ABORT_HEADER = "webhook-delivery";
export const ABORT_VALUE = "abort-message";

/** Whether the receiver asked for no further attempts (header names arrive lower-cased). */
export function receiverAborted(headers: Record<string, string>): boolean {
  const value = headers[ABORT_HEADER] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === ABORT_HEADER)?.[1];
  return typeof value === "string" && value.trim().toLowerCase() === ABORT_VALUE;
}

/** Network trouble and these answers may succeed on another attempt; other 4xx will not. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function referenceText(value: unknown): string | undefined {
  if (typeof value === "string") return value === "" ? undefined : value;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return undefined;
}

/**
 * Makes one attempt (the outgoing job owns retries and the Failed Queue, using the node's retry
 * policy). A dry run records the request it would make and sends nothing.
 */
export const sendExecutor: NodeExecutor<SendConfig> = {
  compile(config, site) {
    const body = config.body ? site.expression(config.body, ["config", "body"]) : undefined;
    const success = config.successCondition ? site.expression(config.successCondition, ["config", "successCondition"]) : undefined;
    const reference = config.referenceIdExpression
      ? site.expression(config.referenceIdExpression, ["config", "referenceIdExpression"])
      : undefined;
    return async (input, ctx) => {
      const request: OutgoingRequest = {
        connection: config.connection,
        method: config.method,
        path: config.path,
        headers: { ...config.headers },
        body: body ? await body.evaluate(input, ctx.bindings) : input,
        timeoutMs: config.timeoutMs,
      };
      if (ctx.credential) request.credential = ctx.credential;
      if (ctx.executionId) request.idempotencyKey = `${ctx.executionId}:${site.nodeId}`;
      ctx.requests.push(request);
      if (ctx.dryRun) return { output: { request, sent: false }, note: "not sent in a dry run" };

      let response: OutgoingResponse;
      try {
        response = await ctx.services.send(request);
      } catch (err) {
        if (err instanceof FlowError) throw err;
        throw new FlowError("EXTERNAL_ERROR", {
          message: `Could not reach ${config.connection}`,
          retryable: true,
          details: { connection: config.connection, cause: err instanceof Error ? err.message : String(err) },
          cause: err,
        });
      }
      const ok = success ? jsonataBoolean(await success.evaluate(response, ctx.bindings)) : response.status >= 200 && response.status < 300;
      // An earlier attempt got through (its answer was lost): the receiver says so with a 409.
      const alreadyDelivered = !ok && config.conflictMeansDelivered && response.status === 409;
      if (!ok && !alreadyDelivered) {
        const details: Record<string, unknown> = { connection: config.connection, status: response.status, body: response.body };
        const retryAfter = response.headers["retry-after"];
        if (retryAfter !== undefined) details.retryAfter = retryAfter;
        const aborted = receiverAborted(response.headers);
        if (aborted) details.aborted = true;
        throw new FlowError("EXTERNAL_ERROR", {
          message: `${config.connection} answered HTTP ${response.status}${aborted ? ` (${ABORT_HEADER}: ${ABORT_VALUE}: no more attempts)` : ""}`,
          retryable: !aborted && isRetryableStatus(response.status),
          details,
        });
      }
      const referenceId = reference ? referenceText(await reference.evaluate(response.body, ctx.bindings)) : undefined;
      if (referenceId !== undefined) {
        ctx.referenceId = referenceId;
        if (config.referenceField && ctx.entity && ctx.recordId) {
          await ctx.services.records.update(ctx.entity, ctx.recordId, { [config.referenceField]: referenceId }, { dryRun: false, flowSlug: ctx.flow.slug });
        }
      }
      if (alreadyDelivered) {
        return { output: { status: response.status, body: response.body, referenceId, alreadyDelivered: true }, note: "HTTP 409: already delivered" };
      }
      return { output: { status: response.status, body: response.body, referenceId } };
    };
  },
};
