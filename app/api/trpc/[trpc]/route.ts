import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import { CROSS_ORIGIN_MESSAGE, isSameOriginRequest } from "@/server/auth/same-origin";
import { sessionUserFrom } from "@/server/auth/session";
import { getSql } from "@/server/db/client";
import { createContext, MAX_BATCH_SIZE } from "@/server/trpc/init";
import { appRouter } from "@/server/trpc/root";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

async function handler(request: Request) {
  // Mutations (POST) only from our own pages, checked before tRPC reads the session or the input.
  if (request.method === "POST" && !isSameOriginRequest(request)) {
    // Encoded as tRPC's own errors are (superjson), so the console's client reads the message.
    return Response.json({ error: superjson.serialize({ message: CROSS_ORIGIN_MESSAGE, code: -32003, data: { code: "FORBIDDEN", httpStatus: 403, errorCode: "CROSS_ORIGIN" } }) }, { status: 403 });
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    // A batch is at most what the console's batch link sends (providers.tsx): one request cannot queue 200 calls.
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: async () =>
      createContext({
        sql: await getSql(),
        user: await sessionUserFrom(request.headers),
        requestId: request.headers.get("x-request-id") ?? undefined,
      }),
  });
}

export { handler as GET, handler as POST };
