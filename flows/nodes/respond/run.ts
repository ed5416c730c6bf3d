// server-only: executor. Never imported by client code (flows/nodes/registry.ts holds definitions only).
import { renderResponse } from "@/flows/status-rules";
import type { NodeExecutor } from "@/flows/runtime/types";
import type { RespondConfig } from "./definition";

/** Decides the answer from the return status rules; its output is the body the caller will get. */
export const respondExecutor: NodeExecutor<RespondConfig> = {
  compile(config) {
    return (_input, ctx) => {
      ctx.respond = { outcome: config.status, errorCode: config.errorCode, message: config.message };
      const rendered = renderResponse(ctx.statusRules, {
        outcome: config.status,
        recordId: ctx.recordId,
        errorCode: config.errorCode,
        message: config.message,
      });
      return { output: rendered.body, note: `HTTP ${rendered.httpStatus}` };
    };
  },
};
