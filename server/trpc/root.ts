/** The console's API: one router per area, each in server/trpc/routers/. */
import { router } from "./init";
import { designerTestingRouter } from "./routers/designer-testing";
import { flowsRouter } from "./routers/flows";
import { sessionRouter } from "./routers/session";

export const appRouter = router({
  session: sessionRouter,
  flows: flowsRouter,
  designerTesting: designerTestingRouter,
});

export type AppRouter = typeof appRouter;
