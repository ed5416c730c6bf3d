/**
 * Testing in the designer: dry-run the draft on a sample, and make samples from logged requests.
 * The work is in server/flows/designer-testing.ts; this router checks the caller and the input.
 */
import { z } from "zod";
import { flowSampleSchema, safeParseFlow, slugSchema } from "@/flows/format";
import { AppError } from "@/server/errors/app-error";
import { dryRunDraft, recentExecutions, sampleFromExecution } from "@/server/flows/designer-testing";
import { guarded, router } from "../init";

export const designerTestingRouter = router({
  /** The draft as it is in the designer (unsaved edits included) on one sample; nothing is written. */
  dryRun: guarded("flows.test")
    .input(z.object({ flow: z.unknown(), sample: flowSampleSchema.pick({ payload: true, headers: true }) }))
    .mutation(async ({ ctx, input }) => {
      const parsed = safeParseFlow(input.flow);
      if (!parsed.ok) {
        const first = parsed.issues[0]!;
        throw new AppError("INVALID_FLOW_FILE", { message: `The draft is not a valid flow: ${first.path.join(".") || "(root)"}: ${first.message}` });
      }
      return dryRunDraft(ctx.sql, parsed.flow, input.sample);
    }),

  /** The flow's recent logged requests, to load one as a sample. */
  recentRequests: guarded("flows.test")
    .input(z.object({ flowSlug: slugSchema, limit: z.int().min(1).max(100).default(20) }))
    .query(({ ctx, input }) => recentExecutions(ctx.sql, input.flowSlug, input.limit)),

  /** A sample made from one logged request (its body and harmless headers, or an outgoing record). */
  sampleFromRequest: guarded("flows.test")
    .input(z.object({ flowSlug: slugSchema, executionId: z.uuid() }))
    .query(({ ctx, input }) => sampleFromExecution(ctx.sql, input.flowSlug, input.executionId)),
});
