/** The console's API: one router per area, each in server/trpc/routers/. */
import { router } from "./init";
import { designerTestingRouter } from "./routers/designer-testing";
import { flowsRouter } from "./routers/flows";
import { dashboardRouter } from "./routers/dashboard";
import { failedQueueRouter } from "./routers/failed-queue";
import { logsRouter } from "./routers/logs";
import { sessionRouter } from "./routers/session";

export const appRouter = router({
  session: sessionRouter,
  flows: flowsRouter,
  designerTesting: designerTestingRouter,
  logs: logsRouter,
  failedQueue: failedQueueRouter,
  dashboard: dashboardRouter,
});

export type AppRouter = typeof appRouter;
