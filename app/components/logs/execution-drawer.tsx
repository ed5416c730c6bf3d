"use client";
/**
 * One execution in full: request and response (formatted JSON, headers redacted by the server),
 * the per-node trace as a timeline, the delivery's attempts (outgoing), and its actions.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, useEffect, useState } from "react";
import { useCan } from "@/app/lib/use-can";
import { useTRPC } from "@/app/lib/trpc";
import { formatDuration, formatTime, statusTone } from "./format";
import { HeadersTable, JsonView } from "./json-view";
import { ReplayPanel } from "./replay-panel";
import { TraceTimeline } from "./trace-timeline";

export function ExecutionDrawer({ id, onClose, onOpen }: { id: string; onClose: () => void; onOpen: (id: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canReplay = useCan("logs.replay");
  const canRetry = useCan("deliveries.retry");
  const { data: e, error, isLoading } = useQuery(trpc.logs.get.queryOptions({ id }));
  const [fromNodeId, setFromNodeId] = useState("");
  const retry = useMutation(trpc.failedQueue.retry.mutationOptions({ onSuccess: () => queryClient.invalidateQueries() }));

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  const request = (e?.request ?? null) as { method?: string; path?: string; url?: string; headers?: Record<string, string>; body?: unknown; bodyTruncated?: boolean } | null;
  const response = (e?.response ?? null) as { status?: number; headers?: Record<string, string>; body?: unknown; retryable?: boolean | null; nextAttemptAt?: string | null } | null;

  return (
    <aside className="drawer" role="dialog" aria-modal="false" aria-label="Execution detail">
      <header className="drawer-head">
        <h2>{e ? `${e.direction === "incoming" ? "Incoming call" : "Outgoing attempt"} · ${e.flowSlug ?? "no flow"}` : "Execution"}</h2>
        <button type="button" className="button" onClick={onClose} aria-label="Close">
          ✕
        </button>
      </header>
      {isLoading ? <p className="muted">Loading…</p> : null}
      {error ? <p className="form-error">{error.message}</p> : null}
      {e ? (
        <div className="drawer-body">
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <span className={`badge tone-${statusTone(e.status)}`}>{e.status}</span> {e.httpStatus ? `HTTP ${e.httpStatus}` : ""} {e.mode !== "live" ? <span className="badge">{e.mode}</span> : null}
            </dd>
            <dt>When</dt>
            <dd>{formatTime(e.startedAt)} · {formatDuration(e.durationMs)}</dd>
            <dt>Flow</dt>
            <dd>{e.flowSlug ?? "—"} {e.flowVersion ? `v${e.flowVersion}` : e.mode === "dry" ? "(draft)" : ""}</dd>
            <dt>Request id</dt>
            <dd><code>{e.requestId ?? "—"}</code></dd>
            {e.direction === "incoming" ? (<><dt>API client</dt><dd>{e.clientName ?? "—"}</dd></>) : (<><dt>Connection</dt><dd>{e.connectionName ?? "—"}</dd></>)}
            <dt>Record</dt>
            <dd>{e.recordEntity ?? ""} {e.recordId ?? "—"}</dd>
            {e.keyValues
              ? e.keyValues.map(({ field, value }) => (
                  <Fragment key={field}><dt>{field}</dt><dd>{value}</dd></Fragment>
                ))
              : null}
            {e.referenceId ? (<><dt>Reference id</dt><dd><strong>{e.referenceId}</strong></dd></>) : null}
            {e.errorCode ? (<><dt>Error</dt><dd className="tone-bad">{e.errorCode}: {e.errorMessage}</dd></>) : null}
            {e.replayOf ? (<><dt>Replay of</dt><dd><button type="button" className="button link" onClick={() => onOpen(e.replayOf!)}>{e.replayOf}</button></dd></>) : null}
          </dl>

          {e.delivery ? (
            <section aria-label="Attempts">
              <h3>Delivery · {e.delivery.status} · attempt {e.delivery.attempts} of {e.delivery.maxAttempts}</h3>
              <table className="data-table compact">
                <thead><tr><th>#</th><th>When</th><th>Status</th><th>HTTP</th><th>Reference</th><th>Error</th><th>Time</th></tr></thead>
                <tbody>
                  {e.attemptsOfDelivery.map((a) => (
                    <tr key={a.executionId} className={a.executionId === e.id ? "current" : undefined} onClick={() => onOpen(a.executionId)}>
                      <td>{a.attempt}</td>
                      <td>{formatTime(a.startedAt)}</td>
                      <td><span className={`badge tone-${statusTone(a.status)}`}>{a.status}</span></td>
                      <td>{a.httpStatus ?? "—"}</td>
                      <td>{a.referenceId ?? ""}</td>
                      <td>{a.errorCode ?? ""}</td>
                      <td>{formatDuration(a.durationMs)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {response && response.retryable !== undefined ? (
                <p className="muted">
                  {response.retryable ? "Retry eligible" : "Not retryable"}
                  {/* The logged response is stored JSON (jsonb): its time is text, not a Date from tRPC. */}
                  {response.nextAttemptAt ? ` · next attempt ${formatTime(new Date(response.nextAttemptAt))}` : ""}
                </p>
              ) : null}
              {e.delivery.status === "failed" && canRetry ? (
                <button type="button" className="button primary" disabled={retry.isPending} onClick={() => retry.mutate({ ids: [e.delivery!.id] })}>
                  Retry delivery now
                </button>
              ) : null}
              {retry.data ? <p role="status">Queued again: {retry.data.retried.length}</p> : null}
              {retry.error ? <p className="form-error">{retry.error.message}</p> : null}
            </section>
          ) : null}

          <section aria-label="Request">
            <h3>Request {request?.method ? `· ${request.method} ${request.url ?? request.path ?? ""}` : ""}</h3>
            <HeadersTable headers={request?.headers} />
            {request?.bodyTruncated ? <p className="muted">The body was over the logging cap and is cut.</p> : null}
            <JsonView value={request?.body} label="Request body" />
          </section>
          <section aria-label="Response">
            <h3>Response {response?.status ? `· ${response.status}` : ""}</h3>
            {response?.headers ? <HeadersTable headers={response.headers} /> : null}
            <JsonView value={response?.body} label="Response body" />
          </section>
          <section aria-label="Trace section">
            <h3>Trace</h3>
            <TraceTimeline trace={e.trace} onReplayFrom={e.direction === "incoming" && canReplay ? setFromNodeId : undefined} />
          </section>

          {e.direction === "incoming" && e.flowSlug && canReplay ? <ReplayPanel execution={e} fromNodeId={fromNodeId} onFromNodeChange={setFromNodeId} /> : null}

          {e.replays.length > 0 ? (
            <section aria-label="Replays">
              <h3>Replays of this call</h3>
              <ul className="plain">
                {e.replays.map((r) => (
                  <li key={r.id}>
                    <button type="button" className="button link" onClick={() => onOpen(r.id)}>
                      {formatTime(r.startedAt)} · {r.mode} · {r.status} {r.httpStatus ?? ""}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </div>
      ) : null}
    </aside>
  );
}
