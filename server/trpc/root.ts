/** The console's API: one router per area, each in server/trpc/routers/. */
import { router } from "./init";
import { sessionRouter } from "./routers/session";

export const appRouter = router({
  session: sessionRouter,
});

export type AppRouter = typeof appRouter;
