/** The console's API: one router per area, each in server/trpc/routers/. */
import { router } from "./init";
import { auditRouter } from "./routers/audit";
import { clientsRouter } from "./routers/clients";
import { connectionsRouter } from "./routers/connections";
import { recordsRouter } from "./routers/records";
import { sessionRouter } from "./routers/session";
import { statusRulesRouter } from "./routers/status-rules";
import { usersRouter } from "./routers/users";

export const appRouter = router({
  session: sessionRouter,
  records: recordsRouter,
  clients: clientsRouter,
  connections: connectionsRouter,
  users: usersRouter,
  audit: auditRouter,
  statusRules: statusRulesRouter,
});

export type AppRouter = typeof appRouter;
