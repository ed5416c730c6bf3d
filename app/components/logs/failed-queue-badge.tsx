"use client";
/** The Failed Queue's size beside its navigation link; refreshed every 15 s. */
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/lib/trpc";
import "./logs.css";

export function FailedQueueBadge() {
  const trpc = useTRPC();
  const { data } = useQuery({ ...trpc.failedQueue.count.queryOptions(), refetchInterval: 15_000 });
  if (!data || data.count === 0) return null;
  return (
    <span className="nav-badge" aria-label={`${data.count} in the Failed Queue`}>
      {data.count}
    </span>
  );
}
