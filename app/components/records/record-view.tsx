"use client";
/**
 * One record: its fields and status, the transitions its workflow allows (each fires the record
 * store's event, which starts outgoing flows), where it came from and every delivery of it.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { EntityDefinition } from "@/flows/erp/entities";
import { logsQueryString } from "@/app/components/logs/log-url";
import { useTRPC } from "@/app/lib/trpc";
import { useCan } from "@/app/lib/use-can";
import { ErrorMessage } from "../admin/error-message";
import { cellValue, when } from "../admin/format";
import { StatusBadge } from "../admin/status-badge";
import styles from "../admin/admin.module.css";
import { SendToApi } from "./send-to-api";

const FOLLOW_MS = 20_000;

/** Button labels for the transitions people know by name. */
const VERBS: Record<string, string> = { approved: "Approve", posted: "Post", paid: "Mark paid", closed: "Close", active: "Activate", inactive: "Deactivate", lost: "Mark lost" };

export function RecordView({ entity, recordId }: { entity: EntityDefinition; recordId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan("records.write");
  const canSend = useCan("records.send");
  // After a change, the worker turns its event into deliveries within moments: follow them until they settle.
  const [changedAt, setChangedAt] = useState(0);
  const query = useQuery({
    ...trpc.records.get.queryOptions({ entity: entity.name, recordId }),
    refetchInterval: (q) =>
      q.state.data?.deliveries.some((d) => d.status === "pending" || d.status === "delivering") || Date.now() - changedAt < FOLLOW_MS ? 1500 : false,
  });
  const transition = useMutation(
    trpc.records.transition.mutationOptions({
      onSuccess: () => {
        setChangedAt(Date.now());
        return queryClient.invalidateQueries({ queryKey: trpc.records.get.queryKey({ entity: entity.name, recordId }) });
      },
    }),
  );
  if (query.error) return <ErrorMessage error={query.error} />;
  if (!query.data) return <p className="muted">Loading…</p>;
  const { record, transitions, locked, origin, deliveries } = query.data;
  const refs = Object.entries(record.externalRefs);

  return (
    <div>
      <div className={styles.header}>
        <div>
          <h1>
            {entity.label} {record.recordId}
          </h1>
          <p className="muted">
            {cellValue(record.data[entity.titleField])} · revision {record.revision} · updated {when(record.updatedAt)}
          </p>
        </div>
        <div className={styles.row}>
          {entity.statuses && <StatusBadge status={record.status} />}
          {canWrite &&
            transitions.map((to) => (
              <button key={to} type="button" className="button primary" disabled={transition.isPending} onClick={() => transition.mutate({ entity: entity.name, recordId, toStatus: to })}>
                {VERBS[to] ?? `Move to ${to}`}
              </button>
            ))}
        </div>
      </div>
      <ErrorMessage error={transition.error} />
      {locked && <p className={styles.note}>This {entity.label.toLowerCase()} is {record.status}: its fields can no longer be changed.</p>}

      <div className={styles.grid}>
        <section className={styles.panel}>
          <h2>Fields</h2>
          <dl className={styles.kv}>
            {entity.fields.map((f) => (
              <div key={f.name} style={{ display: "contents" }}>
                <dt>{f.label}</dt>
                <dd>{cellValue(record.data[f.name], f.type)}</dd>
              </div>
            ))}
            {Object.keys(record.data)
              .filter((k) => !entity.fields.some((f) => f.name === k))
              .map((k) => (
                <div key={k} style={{ display: "contents" }}>
                  <dt>{k}</dt>
                  <dd>{cellValue(record.data[k])}</dd>
                </div>
              ))}
          </dl>
        </section>
        <section className={styles.panel} aria-label="Incoming origin">
          <h2>Incoming origin</h2>
          {!origin && <p className="muted">Created in the ERP (not by an incoming call).</p>}
          {origin && (
            <dl className={styles.kv}>
              <dt>Source</dt>
              <dd>{origin.flowSlug ? `flow ${origin.flowSlug}` : origin.kind}</dd>
              {origin.execution ? (
                <>
                  <dt>Execution</dt>
                  <dd>
                    <Link href={`/logs?${logsQueryString({ filter: { direction: "incoming" }, execution: origin.execution.id })}`}>{origin.execution.id}</Link>
                  </dd>
                  <dt>When</dt>
                  <dd>{when(origin.execution.startedAt)}</dd>
                  <dt>Answer</dt>
                  <dd>
                    <StatusBadge status={origin.execution.status} /> HTTP {origin.execution.httpStatus ?? "—"} · version {origin.execution.flowVersion ?? "—"}
                  </dd>
                  <dt>Caller</dt>
                  <dd>{origin.actor ? `${origin.actor.email} (operator's replay)` : (origin.execution.clientName ?? "—")}</dd>
                  <dt>Request ID</dt>
                  <dd>{origin.execution.requestId ?? "—"}</dd>
                </>
              ) : (
                origin.executionId && (
                  <>
                    <dt>Execution</dt>
                    <dd>{origin.executionId} (no longer in the log)</dd>
                  </>
                )
              )}
            </dl>
          )}
          {refs.length > 0 && (
            <>
              <h3>Reference IDs from external systems</h3>
              <dl className={styles.kv}>
                {refs.map(([flow, ref]) => (
                  <div key={flow} style={{ display: "contents" }}>
                    <dt>{flow}</dt>
                    <dd>{ref}</dd>
                  </div>
                ))}
              </dl>
            </>
          )}
        </section>
      </div>

      <section className={styles.panel}>
        <h2>Outgoing deliveries</h2>
        {deliveries.length === 0 ? (
          <p className="muted">Not sent anywhere yet.</p>
        ) : (
          <div className={styles.wrap}>
            <table className={styles.table} aria-label="Delivery history">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Flow</th>
                  <th>Trigger</th>
                  <th>Status</th>
                  <th>Attempts</th>
                  <th>Reference ID</th>
                  <th>Last error</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {deliveries.map((d) => (
                  <tr key={d.id}>
                    <td>{when(d.createdAt)}</td>
                    <td>
                      {d.flowSlug} v{d.flowVersion}
                    </td>
                    <td>{d.trigger}</td>
                    <td>
                      <StatusBadge status={d.status} />
                    </td>
                    <td>
                      {d.attempts}/{d.maxAttempts}
                    </td>
                    <td>{d.referenceId ?? "—"}</td>
                    <td>{d.lastError ? `${d.lastHttpStatus ? `HTTP ${d.lastHttpStatus}: ` : ""}${d.lastError}` : "—"}</td>
                    <td style={{ whiteSpace: "nowrap" }}>
                      <Link href={`/logs/outgoing?${logsQueryString({ filter: { direction: "outgoing", flowSlug: d.flowSlug, search: record.recordId }, execution: null })}`}>View attempts</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {canSend && (
        <section className={styles.panel}>
          <h2>Send to API</h2>
          <SendToApi
            entity={entity.name}
            recordIds={[record.recordId]}
            onSent={() => {
              setChangedAt(Date.now());
              void query.refetch();
            }}
          />
        </section>
      )}
    </div>
  );
}
