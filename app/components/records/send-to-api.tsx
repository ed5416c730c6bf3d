"use client";
/**
 * "Send to API" for one record or a selection: pick the outgoing flow, queue one delivery per
 * record (server/outgoing/manual-send.ts), then follow the deliveries until each is final.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "@/app/lib/trpc";
import { ErrorMessage } from "../admin/error-message";
import { StatusBadge } from "../admin/status-badge";
import styles from "../admin/admin.module.css";

const FINAL = new Set(["succeeded", "failed", "discarded"]);

export function SendToApi({ entity, recordIds, onSent }: { entity: string; recordIds: string[]; onSent?: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const targets = useQuery(trpc.records.sendTargets.queryOptions({ entity }));
  const [flowSlug, setFlowSlug] = useState("");
  const [deliveryIds, setDeliveryIds] = useState<string[]>([]);
  const send = useMutation(
    trpc.records.send.mutationOptions({
      onSuccess: (result) => {
        setDeliveryIds(result.deliveryIds);
        onSent?.();
      },
    }),
  );
  const progress = useQuery({
    ...trpc.records.deliveries.queryOptions({ ids: deliveryIds }),
    enabled: deliveryIds.length > 0,
    refetchInterval: (query) => (query.state.data?.every((d) => FINAL.has(d.status)) ? false : 1000),
  });
  const done = progress.data?.every((d) => FINAL.has(d.status)) ?? false;
  // Once every delivery settled, the record pages show the new history and reference IDs.
  useEffect(() => {
    if (done) void queryClient.invalidateQueries({ queryKey: trpc.records.get.queryKey() });
  }, [done, queryClient, trpc]);

  const chosen = flowSlug || targets.data?.[0]?.slug || "";
  if (targets.isLoading) return <p className={styles.note}>Loading outgoing flows…</p>;
  if (targets.data && targets.data.length === 0) {
    return <p className={styles.note}>No published outgoing flow can send {entity} records.</p>;
  }
  return (
    <div role="group" aria-label="Send to API">
      <div className={styles.inlineForm}>
        <label>
          Outgoing flow
          <select value={chosen} onChange={(e) => setFlowSlug(e.target.value)} aria-label="Outgoing flow">
            {targets.data?.map((t) => (
              <option key={t.slug} value={t.slug}>
                {t.name} ({t.slug}, v{t.version}{t.trigger === "event" ? ", re-send" : ""})
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button primary"
          disabled={!chosen || recordIds.length === 0 || send.isPending}
          onClick={() => {
            setDeliveryIds([]);
            send.mutate({ entity, recordIds, flowSlug: chosen });
          }}
        >
          {send.isPending ? "Sending…" : `Send ${recordIds.length === 1 ? "to API" : `${recordIds.length} records to API`}`}
        </button>
      </div>
      <ErrorMessage error={send.error} />
      {progress.data && (
        <div className={styles.wrap} style={{ marginTop: "0.75rem" }}>
          <table className={styles.table} aria-label="Send result">
            <thead>
              <tr>
                <th>Record</th>
                <th>Status</th>
                <th>Attempts</th>
                <th>Reference ID</th>
                <th>Last error</th>
              </tr>
            </thead>
            <tbody>
              {progress.data.map((d) => (
                <tr key={d.id}>
                  <td>{d.recordId}</td>
                  <td>
                    <StatusBadge status={d.status} />
                  </td>
                  <td>{d.attempts}</td>
                  <td>{d.referenceId ?? "—"}</td>
                  <td>{d.lastError ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {deliveryIds.length > 0 && !done && <p className={styles.note}>Delivering… (a worker sends them; retries follow the flow&apos;s policy)</p>}
    </div>
  );
}
