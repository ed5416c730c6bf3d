/** The console's API: one router per area, each in server/trpc/routers/. */
import { router } from "./init";
import { flowsRouter } from "./routers/flows";
import { sessionRouter } from "./routers/session";

export const appRouter = router({
  session: sessionRouter,
  flows: flowsRouter,
});

export type AppRouter = typeof appRouter;
