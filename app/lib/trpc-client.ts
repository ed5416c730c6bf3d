/**
 * The console's tRPC client: one batch link, sized and encoded as the server expects. Its own
 * module (not inside the providers component) so a test can drive the very client the browser
 * uses against the route handler.
 */
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "@/server/trpc/root";

export function createConsoleClient(options: { url?: string; fetch?: typeof fetch } = {}) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: options.url ?? "/api/trpc",
        // The server refuses a batch over MAX_BATCH_SIZE (20, server/trpc/init.ts); a literal, as this file may not import server code.
        maxItems: 20,
        // The server's transformer (server/trpc/init.ts): dates arrive as Date objects.
        transformer: superjson,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });
}
