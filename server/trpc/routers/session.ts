/** Who is signed in, and what they may do (the UI hides or disables actions from this). */
import { permissionsOf, type Permission } from "@/server/auth/permissions";
import { publicProcedure, router } from "../init";

export const sessionRouter = router({
  me: publicProcedure.query(({ ctx }) => {
    if (!ctx.user) return { user: null, permissions: [] as Permission[] };
    return { user: ctx.user, permissions: permissionsOf(ctx.user.role) };
  }),
});
