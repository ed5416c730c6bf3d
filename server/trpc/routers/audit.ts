/** The audit log (audit.read): who did what, when; filtered, newest first, keyset pages. */
import { z } from "zod";
import { listAuditActions, listAuditEntries } from "@/server/audit/list-audit";
import { guarded, router } from "../init";

export const auditRouter = router({
  list: guarded("audit.read")
    .input(
      z.object({
        action: z.string().max(100).optional(),
        actor: z.string().max(200).optional(),
        target: z.string().max(200).optional(),
        from: z.iso.datetime({ offset: true }).optional(),
        to: z.iso.datetime({ offset: true }).optional(),
        cursor: z.int().positive().optional(),
        limit: z.int().min(1).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) =>
      listAuditEntries(ctx.sql, {
        action: input.action,
        actor: input.actor,
        target: input.target,
        from: input.from ? new Date(input.from) : undefined,
        to: input.to ? new Date(input.to) : undefined,
        before: input.cursor,
        limit: input.limit,
      }),
    ),

  actions: guarded("audit.read").query(({ ctx }) => listAuditActions(ctx.sql)),
});
