/** The console's API: one router per area, each in server/trpc/routers/. */
import { router } from "./init";
import { designerTestingRouter } from "./routers/designer-testing";
import { flowsRouter } from "./routers/flows";
import { dashboardRouter } from "./routers/dashboard";
import { failedQueueRouter } from "./routers/failed-queue";
import { logsRouter } from "./routers/logs";
import { auditRouter } from "./routers/audit";
import { clientsRouter } from "./routers/clients";
import { connectionsRouter } from "./routers/connections";
import { recordsRouter } from "./routers/records";
import { sessionRouter } from "./routers/session";
import { statusRulesRouter } from "./routers/status-rules";
import { usersRouter } from "./routers/users";

export const appRouter = router({
  session: sessionRouter,
  flows: flowsRouter,
  designerTesting: designerTestingRouter,
  logs: logsRouter,
  failedQueue: failedQueueRouter,
  dashboard: dashboardRouter,
  records: recordsRouter,
  clients: clientsRouter,
  connections: connectionsRouter,
  users: usersRouter,
  audit: auditRouter,
  statusRules: statusRulesRouter,
});

export type AppRouter = typeof appRouter;
