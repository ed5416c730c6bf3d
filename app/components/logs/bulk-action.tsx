"use client";
/**
 * "Replay all matching" (incoming) / "Retry all matching" (outgoing): counts what the whole filter
 * matches on the server (not the page on screen), asks to confirm that number, then acts on it.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { LogFilter } from "@/server/logs/filter";
import { useCan } from "@/app/lib/use-can";
import { useTRPC } from "@/app/lib/trpc";

export function BulkAction({ filter }: { filter: LogFilter }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const incoming = filter.direction === "incoming";
  const allowed = useCan(incoming ? "logs.replay" : "deliveries.retry");
  const [pending, setPending] = useState<{ count: number; max: number } | null>(null);
  const [target, setTarget] = useState<"published" | "draft">("published");
  const [message, setMessage] = useState<string | null>(null);
  const [counting, setCounting] = useState(false);
  const [countError, setCountError] = useState<string | null>(null);
  const done = () => {
    setPending(null);
    void queryClient.invalidateQueries();
  };
  const replay = useMutation(trpc.logs.replayMatching.mutationOptions({ onSuccess: (r) => { setMessage(`Replayed ${r.replayed}: ${r.succeeded} succeeded, ${r.failed} failed.`); done(); } }));
  const retry = useMutation(trpc.logs.retryMatching.mutationOptions({ onSuccess: (r) => { setMessage(`Queued ${r.retried} deliveries for another attempt.`); done(); } }));
  if (!allowed) return null;

  const count = async () => {
    setMessage(null);
    setCountError(null);
    setCounting(true);
    try {
      setPending(await queryClient.fetchQuery({ ...trpc.logs.bulkCount.queryOptions({ filter }), staleTime: 0 }));
    } catch (error) {
      setCountError((error as Error).message);
    } finally {
      setCounting(false);
    }
  };
  const error = replay.error ?? retry.error;
  const verb = incoming ? "Replay" : "Retry";
  return (
    <div className="bulk-action">
      <button type="button" className="button" onClick={count} disabled={counting}>
        {verb} all matching…
      </button>
      {pending ? (
        <div className="confirm" role="alertdialog" aria-label={`${verb} all matching`}>
          {pending.count === 0 ? (
            <p>Nothing matching this filter can be {incoming ? "replayed" : "retried (only failed deliveries are)"}.</p>
          ) : pending.count > pending.max ? (
            <p>{pending.count} match; narrow the filter to at most {pending.max}.</p>
          ) : (
            <p>
              {verb} <strong>{pending.count}</strong> {incoming ? "incoming calls" : "failed deliveries"} matching this filter (every page, not only this one)?
            </p>
          )}
          {incoming && pending.count > 0 ? (
            <label className="inline">
              <select value={target} onChange={(e) => setTarget(e.target.value as "published" | "draft")} aria-label="Replay target">
                <option value="published">on the published version</option>
                <option value="draft">as a dry run on the draft</option>
              </select>
            </label>
          ) : null}
          <div className="row">
            {pending.count > 0 && pending.count <= pending.max ? (
              <button
                type="button"
                className="button primary"
                disabled={replay.isPending || retry.isPending}
                onClick={() =>
                  incoming ? replay.mutate({ filter, target, confirmedCount: pending.count }) : retry.mutate({ filter, confirmedCount: pending.count })
                }
              >
                {verb} {pending.count}
              </button>
            ) : null}
            <button type="button" className="button" onClick={() => setPending(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {message ? <p role="status">{message}</p> : null}
      {error ? <p className="form-error">{error.message}</p> : null}
      {countError ? <p className="form-error">{countError}</p> : null}
    </div>
  );
}
