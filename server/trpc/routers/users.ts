/**
 * Console users (users.manage): list, create with a role, change role, disable. Rules — one role
 * each, never without an active admin, disabling signs out — live in server/auth/users.ts.
 */
import { z } from "zod";
import { ROLES } from "@/server/auth/permissions";
import { createUser, generatePassword, listUsers, setUserDisabled, setUserRole } from "@/server/auth/users";
import { AppError } from "@/server/errors/app-error";
import { audit } from "../audited";
import { guarded, router } from "../init";

const id = z.string().min(1).max(100);
const role = z.enum(ROLES);

export const usersRouter = router({
  list: guarded("users.manage").query(({ ctx }) => listUsers(ctx.sql)),

  /** Without a password one is generated and returned in this answer only, to hand to the user. */
  create: guarded("users.manage")
    .input(z.object({ email: z.string().min(3).max(200), name: z.string().max(120).optional(), role, password: z.string().max(200).optional() }))
    .mutation(async ({ ctx, input }) => {
      const password = input.password || generatePassword();
      const user = await createUser(ctx.sql, { email: input.email, name: input.name, role: input.role, password });
      await audit(ctx.sql, ctx.user, "user.created", user.email, { role: user.role });
      return { user, ...(input.password ? {} : { generatedPassword: password }) };
    }),

  setRole: guarded("users.manage")
    .input(z.object({ id, role }))
    .mutation(async ({ ctx, input }) => {
      const user = await setUserRole(ctx.sql, input.id, input.role);
      await audit(ctx.sql, ctx.user, "user.role_changed", user.email, { role: user.role });
      return user;
    }),

  setDisabled: guarded("users.manage")
    .input(z.object({ id, disabled: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      if (input.disabled && input.id === ctx.user.id) throw new AppError("INVALID_REQUEST", { message: "You cannot disable yourself" });
      const user = await setUserDisabled(ctx.sql, input.id, input.disabled);
      await audit(ctx.sql, ctx.user, input.disabled ? "user.disabled" : "user.enabled", user.email);
      return user;
    }),
});
