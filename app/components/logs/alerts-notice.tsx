"use client";
/**
 * Operations alerts in the navigation (server/outgoing/alerts.ts): a delivery reached the Failed
 * Queue, a connection's circuit opened or stays open. One notice per connection and kind (repeats
 * count up); refreshed every 15 s; dismissed (acknowledged, audited) by those who may retry.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/lib/trpc";
import "./logs.css";

export function AlertsNotice({ canAcknowledge }: { canAcknowledge: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useQuery({ ...trpc.failedQueue.alerts.queryOptions(), refetchInterval: 15_000 });
  const acknowledge = useMutation(
    trpc.failedQueue.acknowledgeAlert.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.failedQueue.alerts.queryKey() }) }),
  );
  if (!data || data.length === 0) return null;
  return (
    <section className="alerts-notice" role="region" aria-label="Alerts">
      <strong>
        {data.length} alert{data.length === 1 ? "" : "s"}
      </strong>
      <ul>
        {data.slice(0, 5).map((a) => (
          <li key={a.id} title={a.message}>
            <span className="alerts-kind">{a.kind.replace(".", " ").replace("_", " ")}</span> {a.connection}
            {a.count > 1 ? ` (×${a.count})` : ""}
            {canAcknowledge && (
              <button type="button" className="button link" disabled={acknowledge.isPending} onClick={() => acknowledge.mutate({ id: a.id })} aria-label={`Dismiss alert ${a.kind} ${a.connection}`}>
                Dismiss
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
