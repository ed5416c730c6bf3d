/** The console's API: one router per area, each in server/trpc/routers/. */
import { router } from "./init";
import { dashboardRouter } from "./routers/dashboard";
import { failedQueueRouter } from "./routers/failed-queue";
import { logsRouter } from "./routers/logs";
import { sessionRouter } from "./routers/session";

export const appRouter = router({
  session: sessionRouter,
  logs: logsRouter,
  failedQueue: failedQueueRouter,
  dashboard: dashboardRouter,
});

export type AppRouter = typeof appRouter;
