"use client";

/**
 * Whether the draft as edited here is exactly the version that runs: the same canonical file text the
 * server checksums for "draft changes" (server/flows/draft.ts). Then Publish has nothing to ship and
 * the Versions dialog has no separate draft to show. `undefined` while the live file loads.
 */
import { useQuery } from "@tanstack/react-query";
import { serializeFlow, type FlowFile } from "@/flows/format";
import { useTRPC } from "@/app/lib/trpc";

export function useDraftMatchesLive(draft: FlowFile, publishedVersion: number | null): boolean | undefined {
  const trpc = useTRPC();
  const live = useQuery({
    ...trpc.flows.file.queryOptions({ slug: draft.slug, version: publishedVersion ?? undefined }),
    enabled: publishedVersion !== null,
  });
  if (publishedVersion === null) return false;
  if (live.data === undefined) return live.error ? false : undefined;
  return live.data.text === serializeFlow(draft);
}
