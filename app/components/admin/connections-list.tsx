"use client";
/**
 * Connections — where outgoing flows send, with credentials provided by the external system's
 * owner. Everyone who may read connections sees names, URLs and settings; the credential column,
 * editing and "Test connection" need credentials.manage.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { formatRetrySchedule } from "@/flows/retry-schedule";
import { useTRPC } from "@/app/lib/trpc";
import { useCan } from "@/app/lib/use-can";
import { CircuitCell, HeldDeliveries } from "./connection-circuit";
import { ConnectionForm, type ConnectionValue } from "./connection-form";
import { DataTable, EditDeleteButtons } from "./data-table";
import { ErrorMessage } from "./error-message";
import { StatusBadge } from "./status-badge";
import styles from "./admin.module.css";

export function ConnectionsList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canManage = useCan("credentials.manage");
  const connections = useQuery(trpc.connections.list.queryOptions());
  // The circuits change on their own (failures, probes): refreshed while the page is open.
  const circuits = useQuery(trpc.connections.circuits.queryOptions(undefined, { refetchInterval: 5_000 }));
  const circuitOf = (name: string) => circuits.data?.find((c) => c.connection === name);
  const [editing, setEditing] = useState<ConnectionValue | "new" | null>(null);
  const [results, setResults] = useState<Record<string, { verdict: string; message: string; durationMs: number }>>({});
  const test = useMutation(trpc.connections.test.mutationOptions({ onSuccess: (r, v) => setResults((all) => ({ ...all, [v.name]: r })) }));
  const remove = useMutation(trpc.connections.delete.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.connections.list.queryKey() }) }));

  return (
    <div>
      <div className={styles.header}>
        <p className="muted">Where outgoing flows send: base URL, headers, timeout, retries, and the credential provided by the external system&apos;s owner.</p>
        {canManage && editing === null && (
          <button type="button" className="button primary" onClick={() => setEditing("new")}>
            New connection
          </button>
        )}
      </div>
      {editing !== null && <ConnectionForm initial={editing === "new" ? undefined : editing} onClose={() => setEditing(null)} />}
      <ErrorMessage error={connections.error ?? test.error ?? remove.error} />
      {/* Fits a 1024-wide desk: the URL may break at its separators, and the owner rides under the name. */}
      <DataTable label="Connections" columns={["Name · owner", "Endpoint", canManage && "Credential", "Timeout · attempts", "Circuit", canManage && ""]} empty={connections.data?.length === 0 && "No connections yet."}>
        {connections.data?.map((c) => (
          <Fragment key={c.id}>
          <tr>
            <td>
              <strong>{c.name}</strong>
              <div className={styles.note}>{c.owner}</div>
            </td>
            <td>
              {c.method} <BreakableUrl url={c.baseUrl} />
              {c.allowPrivate && <div className={styles.note}>private network allowed</div>}
            </td>
            {canManage && <td>{c.credentialName ?? "none"}</td>}
            <td>
              {c.timeoutMs} ms · {c.maxAttempts ?? "default"} attempts · {c.retryScheduleMs ? formatRetrySchedule(c.retryScheduleMs) : "default schedule"}
            </td>
            <td>
              <CircuitCell circuit={circuitOf(c.name)} canManage={canManage} />
            </td>
            {canManage && (
              <td>
                <EditDeleteButtons onEdit={() => setEditing(c)} onDelete={() => remove.mutate({ name: c.name })} confirmDelete={`Delete connection ${c.name}? Flows that send through it will fail.`}>
                  <button type="button" className="button" disabled={test.isPending} onClick={() => test.mutate({ name: c.name })}>
                    Test connection
                  </button>
                </EditDeleteButtons>
                {results[c.name] && (
                  <div role="status" aria-label={`Test result ${c.name}`} style={{ marginTop: "0.4rem" }}>
                    <StatusBadge status={results[c.name]!.verdict} /> {results[c.name]!.message} ({results[c.name]!.durationMs} ms)
                  </div>
                )}
              </td>
            )}
          </tr>
          {(circuitOf(c.name)?.held ?? 0) > 0 && <HeldDeliveries connection={c.name} columns={canManage ? 6 : 4} />}
          </Fragment>
        ))}
      </DataTable>
    </div>
  );
}

/**
 * A URL that may wrap after each "/" and ".": whole where the table has room, broken at a separator
 * (never inside a word) where it has not, so a long base URL does not push the row's buttons out of view.
 */
function BreakableUrl({ url }: { url: string }) {
  const parts = url.split(/(?<=[/.])/);
  return parts.map((part, i) => (
    <Fragment key={i}>
      {part}
      {i < parts.length - 1 && <wbr />}
    </Fragment>
  ));
}
