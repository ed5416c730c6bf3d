"use client";
/** TanStack Query + tRPC for every console page. One QueryClient per browser tab. */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { z } from "zod";
import { TRPCProvider } from "@/app/lib/trpc";
import { createConsoleClient } from "@/app/lib/trpc-client";

// The CSP allows no eval (next.config.js): zod's compiled parsers would be refused anyway, and its
// probe for them (`Function("")`) is reported as a violation on every page. Off before any parse.
z.config({ jitless: true });

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // A 401/403 will not fix itself by retrying.
        retry: (count, error) => {
          const code = (error as { data?: { code?: string } }).data?.code;
          return code !== "UNAUTHORIZED" && code !== "FORBIDDEN" && code !== "NOT_FOUND" && code !== "TOO_MANY_REQUESTS" && count < 2;
        },
      },
    },
  });
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() => createConsoleClient());
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
