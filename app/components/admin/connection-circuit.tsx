"use client";
/**
 * A connection's circuit on the Connections page (server/outgoing/circuit.ts): its state and since
 * when, the deliveries it holds (listed when there are any: "waiting for the circuit"), and pause /
 * resume for those who manage connections.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useTRPC } from "@/app/lib/trpc";
import type { AppRouter } from "@/server/trpc/root";
import { StatusBadge } from "./status-badge";
import styles from "./admin.module.css";

type Circuit = inferRouterOutputs<AppRouter>["connections"]["circuits"][number];

/** Today's times as a time only: the column stays narrow enough for a 1024 px screen. */
function time(d: Date | string | null): string {
  if (!d) return "";
  const at = new Date(d);
  return at.toDateString() === new Date().toDateString() ? at.toLocaleTimeString() : at.toLocaleString();
}

export function CircuitCell({ circuit, canManage }: { circuit: Circuit | undefined; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.connections.circuits.queryKey() });
  const pause = useMutation(trpc.connections.pause.mutationOptions({ onSuccess: refresh }));
  const resume = useMutation(trpc.connections.resume.mutationOptions({ onSuccess: refresh }));
  if (!circuit) return <StatusBadge status="closed" />;
  const name = circuit.connection;
  return (
    <div aria-label={`Circuit ${name}`}>
      <StatusBadge status={circuit.state} />
      {circuit.state !== "closed" && circuit.since && <div className={styles.note}>since {time(circuit.since)}</div>}
      {circuit.state === "paused" && <div className={styles.note}>{circuit.pausedUntil ? `until ${time(circuit.pausedUntil)} (receiver asked)` : `by ${circuit.pausedBy ?? "an operator"}`}</div>}
      {(circuit.state === "open" || circuit.state === "half_open") && circuit.nextProbeAt && <div className={styles.note}>next probe {time(circuit.nextProbeAt)}</div>}
      <div className={styles.note}>
        {circuit.held} held{circuit.consecutiveFailures > 0 ? ` · ${circuit.consecutiveFailures} failures in a row` : ""}
      </div>
      {canManage &&
        (circuit.state === "closed" ? (
          <button type="button" className="button" disabled={pause.isPending} onClick={() => pause.mutate({ name })}>
            Pause
          </button>
        ) : (
          <button type="button" className="button" disabled={resume.isPending} onClick={() => resume.mutate({ name })}>
            Resume
          </button>
        ))}
    </div>
  );
}

/** The deliveries the circuit holds, shown under the connection's row while there are any. */
export function HeldDeliveries({ connection, columns }: { connection: string; columns: number }) {
  const trpc = useTRPC();
  const held = useQuery(trpc.connections.held.queryOptions({ name: connection }, { refetchInterval: 5_000 }));
  if (!held.data || held.data.length === 0) return null;
  return (
    <tr>
      <td colSpan={columns}>
        <table aria-label={`Held deliveries ${connection}`} style={{ width: "100%" }}>
          <caption style={{ textAlign: "left" }} className="muted">
            Waiting for the circuit of {connection} (no attempts spent while held)
          </caption>
          <thead>
            <tr>
              <th>Flow</th>
              <th>Record</th>
              <th>Attempts</th>
              <th>Held since</th>
              <th>Next try</th>
              <th>Waiting for</th>
            </tr>
          </thead>
          <tbody>
            {held.data.map((d) => (
              <tr key={d.id}>
                <td>{d.flowSlug}</td>
                <td>
                  {d.entity} {d.recordId}
                </td>
                <td>{d.attempts}</td>
                <td>{time(d.heldSince)}</td>
                <td>{time(d.nextAttemptAt)}</td>
                <td>{d.waitingFor ? `delivery ${d.waitingFor.slice(0, 8)}… (earlier, same record)` : d.heldSince ? "the circuit" : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </td>
    </tr>
  );
}
