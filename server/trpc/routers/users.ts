/**
 * Console users (users.manage): list, create with a role, change role, disable. Thin: each action is a domain
 * operation in server/auth/user-actions.ts (rules in server/auth/users.ts), audited as the admin.
 */
import { z } from "zod";
import { userActor } from "@/server/audit/actor";
import { ROLES } from "@/server/auth/permissions";
import { changeUserDisabled, changeUserRole, createConsoleUser } from "@/server/auth/user-actions";
import { listUsers } from "@/server/auth/users";
import { guarded, router } from "../init";

const id = z.string().min(1).max(100);
const role = z.enum(ROLES);

export const usersRouter = router({
  list: guarded("users.manage").query(({ ctx }) => listUsers(ctx.sql)),

  /** Without a password one is generated and returned in this answer only, to hand to the user. */
  create: guarded("users.manage")
    .input(z.object({ email: z.string().min(3).max(200), name: z.string().max(120).optional(), role, password: z.string().max(200).optional() }))
    .mutation(({ ctx, input }) => createConsoleUser(ctx.sql, input, userActor(ctx.user))),

  setRole: guarded("users.manage")
    .input(z.object({ id, role }))
    .mutation(({ ctx, input }) => changeUserRole(ctx.sql, input, userActor(ctx.user))),

  setDisabled: guarded("users.manage")
    .input(z.object({ id, disabled: z.boolean() }))
    .mutation(({ ctx, input }) => changeUserDisabled(ctx.sql, input, userActor(ctx.user))),
});
