// server-only: executor. Never imported by client code (flows/nodes/registry.ts holds definitions only).
import type { NodeExecutor } from "@/flows/runtime/types";
import type { AuthConfig } from "./definition";

/**
 * Incoming: the caller must prove who it is (the services check keys, tokens and signatures against
 * the API clients allowed on this flow). Dry runs test the mapping, not credentials, so they skip
 * the check and say so in the trace. Outgoing: names the credential the send node attaches.
 */
export const authExecutor: NodeExecutor<AuthConfig> = {
  compile(config) {
    if (config.direction === "outgoing") {
      const credential = config.credential;
      return (input, ctx) => {
        ctx.credential = credential;
        return { output: input, note: `credential ${credential}` };
      };
    }
    const { methods, toleranceSeconds } = config;
    return async (input, ctx) => {
      if (ctx.dryRun) return { output: input, note: "credentials are not checked in a dry run" };
      ctx.client = await ctx.services.auth.verifyIncoming({
        methods,
        headers: ctx.trigger.headers,
        flowSlug: ctx.flow.slug,
        rawBody: ctx.trigger.rawBody,
        toleranceSeconds,
      });
      // The name people gave the client; its id only when it has none (a public flow).
      return { output: input, note: `client ${ctx.client.clientName ?? ctx.client.clientId}` };
    };
  },
};
