"use client";
/**
 * The Failed Queue's size beside its navigation link; refreshed every 15 s. Hidden from the
 * accessibility tree so the link keeps its name ("Failed Queue"); the count is in its title.
 */
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/lib/trpc";
import "./logs.css";

export function FailedQueueBadge() {
  const trpc = useTRPC();
  const { data } = useQuery({ ...trpc.failedQueue.count.queryOptions(), refetchInterval: 15_000 });
  if (!data || data.count === 0) return null;
  return (
    <span className="nav-badge" aria-hidden="true" title={`${data.count} in the Failed Queue`}>
      {data.count}
    </span>
  );
}
