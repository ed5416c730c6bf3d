import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { sessionUserFrom } from "@/server/auth/session";
import { getSql } from "@/server/db/client";
import { createContext } from "@/server/trpc/init";
import { appRouter } from "@/server/trpc/root";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

async function handler(request: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: async () =>
      createContext({
        sql: await getSql(),
        user: await sessionUserFrom(request.headers),
        requestId: request.headers.get("x-request-id") ?? undefined,
      }),
  });
}

export { handler as GET, handler as POST };
