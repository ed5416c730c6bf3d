"use client";
/**
 * The Failed Queue (the seed's §4.6): deliveries that ran out of attempts, with why, how many
 * attempts, the last error and whether another attempt may help. Select many to retry now or
 * discard with a reason; edit one's payload and retry it (the original stays in the log). Every
 * action ends in a result message (failed-queue-result.tsx); each row links to its delivery's
 * detail in the Outgoing Logs and expands to the whole last error.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { Fragment, useState } from "react";
import { useCan } from "@/app/lib/use-can";
import { useTRPC } from "@/app/lib/trpc";
import { formatTime, parseJson, toJsonText } from "./format";
import { JsonEditor } from "@/app/components/monaco/json-editor";
import type { FailedDeliveryRow } from "./types";
import { QueueResult, type QueueAction } from "./failed-queue-result";
import "./logs.css";

function EditAndRetry({ delivery, onClose, onDone }: { delivery: FailedDeliveryRow; onClose: () => void; onDone: (action: QueueAction) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const payload = useQuery(trpc.failedQueue.payload.queryOptions({ id: delivery.id }));
  const [text, setText] = useState<string | null>(null);
  const value = text ?? (payload.data ? toJsonText(payload.data.payload) : "");
  const parsed = parseJson(value);
  const retry = useMutation(
    trpc.failedQueue.editAndRetry.mutationOptions({
      onSuccess: (data) => {
        void queryClient.invalidateQueries();
        onDone({ kind: "retry", asked: 1, ids: data.retried, edited: true, label: `${delivery.entity} ${delivery.recordId}` });
        onClose();
      },
    }),
  );
  return (
    <div className="modal" role="dialog" aria-label="Edit payload and retry">
      <div className="modal-card">
        <h2>Edit and retry · {delivery.entity} {delivery.recordId}</h2>
        <p className="muted">
          {payload.data?.source === "edited"
            ? "Starting from the last edit."
            : payload.data?.source === "not-logged"
              ? "This flow does not log payloads: write the body to send."
              : "Starting from the body the last attempt sent. The original stays in the log."}
        </p>
        {payload.isLoading ? (
          <p className="muted">Loading…</p>
        ) : (
          <>
            <JsonEditor value={value} onChange={setText} ariaLabel="Delivery payload" height={320} />
            {parsed.ok ? null : <p className="form-error" role="alert">{parsed.error}</p>}
          </>
        )}
        {retry.error ? <p className="form-error">{retry.error.message}</p> : null}
        <div className="row">
          <button type="button" className="button primary" disabled={payload.isLoading || !parsed.ok || retry.isPending} onClick={() => parsed.ok && retry.mutate({ id: delivery.id, payload: parsed.value })}>
            Save and retry
          </button>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}

function DiscardDialog({ ids, onClose }: { ids: string[]; onClose: (done: string[] | null) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const discard = useMutation(
    trpc.failedQueue.discard.mutationOptions({
      onSuccess: (data) => {
        void queryClient.invalidateQueries();
        onClose(data.discarded);
      },
    }),
  );
  return (
    <div className="modal" role="dialog" aria-label="Discard deliveries">
      <div className="modal-card">
        <h2>Discard {ids.length} {ids.length === 1 ? "delivery" : "deliveries"}</h2>
        <label className="form-stack">
          Reason (kept with who and when)
          <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. duplicate in accounting" aria-label="Reason" />
        </label>
        {discard.error ? <p className="form-error">{discard.error.message}</p> : null}
        <div className="row">
          <button type="button" className="button danger" disabled={!reason.trim() || discard.isPending} onClick={() => discard.mutate({ ids, reason })}>
            Discard
          </button>
          <button type="button" className="button" onClick={() => onClose(null)}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}

export function FailedQueueView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canRetry = useCan("deliveries.retry");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState<FailedDeliveryRow | null>(null);
  const [discarding, setDiscarding] = useState(false);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [result, setResult] = useState<{ action: QueueAction; at: number } | null>(null);
  const report = (action: QueueAction) => setResult({ action, at: Date.now() });
  const list = useInfiniteQuery(
    trpc.failedQueue.list.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (last) => last.nextCursor, refetchInterval: 10_000 }),
  );
  const retry = useMutation(
    trpc.failedQueue.retry.mutationOptions({
      onSuccess: (data, input) => {
        report({ kind: "retry", asked: input.ids.length, ids: data.retried });
        setSelected(new Set());
        void queryClient.invalidateQueries();
      },
    }),
  );
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));

  return (
    <section className="logs">
      <h1>Failed Queue</h1>
      <p className="muted">Outgoing deliveries that ran out of attempts, or failed in a way another attempt would not fix.</p>
      {canRetry ? (
        <div className="logs-toolbar">
          <button type="button" className="button primary" disabled={selected.size === 0 || retry.isPending} onClick={() => retry.mutate({ ids: [...selected] })}>
            Retry now ({selected.size})
          </button>
          <button type="button" className="button" disabled={selected.size === 0} onClick={() => setDiscarding(true)}>
            Discard… ({selected.size})
          </button>
          {retry.error ? <span className="form-error">{retry.error.message}</span> : null}
        </div>
      ) : (
        <p className="muted">Your role can look but not retry or discard.</p>
      )}
      {result ? <QueueResult key={result.at} action={result.action} since={result.at} onDismiss={() => setResult(null)} /> : null}
      {list.error ? <p className="form-error">{list.error.message}</p> : null}
      <div className="table-scroll">
        <table className="data-table" aria-label="Failed deliveries">
          <thead>
            <tr>
              {canRetry ? (
                <th>
                  <input type="checkbox" aria-label="Select all" checked={allSelected} onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.id)))} />
                </th>
              ) : null}
              <th>Failed</th>
              <th>Flow</th>
              <th>Record</th>
              <th>Reason</th>
              <th>Last error</th>
              <th>Retry</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => {
              const open = expanded.has(d.id);
              const error = `${d.lastHttpStatus ? `HTTP ${d.lastHttpStatus} ` : ""}${d.lastErrorCode ?? ""} ${d.lastError ?? ""}`.trim();
              return (
                <Fragment key={d.id}>
                  <tr>
                    {canRetry ? (
                      <td>
                        <input type="checkbox" aria-label={`Select ${d.recordId}`} checked={selected.has(d.id)} onChange={() => toggle(d.id)} />
                      </td>
                    ) : null}
                    <td>{formatTime(d.failedAt ?? d.createdAt)}</td>
                    <td><span className="clip-text narrow" title={`${d.flowSlug} v${d.flowVersion}`}>{d.flowSlug} v{d.flowVersion}</span></td>
                    <td>
                      {d.lastExecutionId ? (
                        <Link href={`/logs/outgoing?execution=${d.lastExecutionId}`} title="Open the delivery: every attempt, what was sent and the answer">
                          {d.entity} {d.recordId}
                        </Link>
                      ) : (
                        <>{d.entity} {d.recordId}</>
                      )}
                    </td>
                    <td>
                      {d.reason}
                      <span className="badge" title="Attempts made of those allowed">{d.attempts}/{d.maxAttempts}</span>
                      {d.hasPayloadOverride ? <span className="badge">edited</span> : null}
                    </td>
                    <td className="clip" title={error}>
                      <button
                        type="button"
                        className="error-toggle"
                        aria-expanded={open}
                        aria-controls={`error-${d.id}`}
                        aria-label={`${open ? "Hide" : "Show"} the whole error of ${d.recordId}`}
                        onClick={() => setExpanded((s) => { const next = new Set(s); if (open) next.delete(d.id); else next.add(d.id); return next; })}
                      >
                        {open ? "▾" : "▸"}
                      </button>{" "}
                      {error}
                    </td>
                    {/* Eligibility and the action share a column: the table fits a 1024 px window. */}
                    <td>
                      <div className="retry-cell">
                        <span>{!d.canRetry ? "Flow version gone" : d.retryable ? "Eligible" : "Needs a fix first"}</span>
                        {canRetry ? (
                          <button type="button" className="button" onClick={() => setEditing(d)} disabled={!d.canRetry}>
                            Edit & retry
                          </button>
                        ) : null}
                      </div>
                    </td>
                  </tr>
                  {open ? (
                    <tr className="error-detail">
                      <td colSpan={canRetry ? 7 : 6} id={`error-${d.id}`}>
                        <pre className="full-error" aria-label={`Whole error of ${d.recordId}`}>{error || "No error text was recorded."}</pre>
                        {d.audit.length > 0 ? (
                          <ul className="plain muted small">
                            {d.audit.map((a, i) => (
                              <li key={i}>{formatTime(new Date(a.at))} · {a.action}{a.payloadEdited ? " (edited payload)" : ""} by {a.actor}{a.reason ? ` — ${a.reason}` : ""}</li>
                            ))}
                          </ul>
                        ) : null}
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      {!list.isLoading && rows.length === 0 ? <div className="empty">The Failed Queue is empty.</div> : null}
      {list.hasNextPage ? (
        <button type="button" className="button" onClick={() => void list.fetchNextPage()}>
          Load more
        </button>
      ) : null}
      {editing ? <EditAndRetry delivery={editing} onClose={() => setEditing(null)} onDone={report} /> : null}
      {discarding ? (
        <DiscardDialog
          ids={[...selected]}
          onClose={(done) => {
            setDiscarding(false);
            if (!done) return;
            report({ kind: "discard", asked: selected.size, ids: done });
            setSelected(new Set());
          }}
        />
      ) : null}
    </section>
  );
}
