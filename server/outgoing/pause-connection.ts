/**
 * Pausing and resuming a connection by hand (a receiver's planned maintenance, an incident): the
 * domain operations the Connections page, tRPC and the CLI call. A paused connection's deliveries
 * are held without spending attempts (circuit.ts); resuming closes the circuit and releases them at
 * the circuit's pace. Each leaves an audit row in the same transaction as the change.
 */
import type { Sql } from "postgres";
import { actorLabel, auditActor, type Actor } from "@/server/audit/actor";
import { recordAudit } from "@/server/audit/audit-log";
import { circuitSettings, releaseWaiting, type CircuitState } from "./circuit";
import { getConnection } from "./connections";

export interface PauseResult {
  connection: string;
  state: CircuitState;
  released?: number;
}

/** Pauses `name` until resumed (NOT_FOUND for an unknown connection). */
export async function pauseConnection(sql: Sql, input: { name: string; reason?: string }, actor: Actor): Promise<PauseResult> {
  await getConnection(sql, input.name);
  return sql.begin(async (tx) => {
    await tx`
      insert into connection_circuits (connection_name, state, since, paused_by, paused_until)
      values (${input.name}, 'paused', now(), ${actorLabel(actor)}, null)
      on conflict (connection_name) do update set state = 'paused', since = now(), paused_by = excluded.paused_by,
        paused_until = null, updated_at = now()`;
    await recordAudit(tx, { ...auditActor(actor), action: "connection.paused", target: input.name, details: { reason: input.reason ?? null } });
    return { connection: input.name, state: "paused" as const };
  });
}

/** Resumes `name`: its circuit closes (failures forgotten) and what it held goes, paced. */
export async function resumeConnection(sql: Sql, input: { name: string }, actor: Actor): Promise<PauseResult> {
  await getConnection(sql, input.name);
  return sql.begin(async (tx) => {
    const [before] = await tx<{ state: CircuitState }[]>`
      select state from connection_circuits where connection_name = ${input.name} for update`;
    await tx`
      update connection_circuits set state = 'closed', consecutive_failures = 0, since = now(), next_probe_at = null,
        paused_until = null, paused_by = null, updated_at = now()
      where connection_name = ${input.name}`;
    const released = await releaseWaiting(tx, input.name, circuitSettings());
    await recordAudit(tx, { ...auditActor(actor), action: "connection.resumed", target: input.name, details: { from: before?.state ?? "closed", released } });
    return { connection: input.name, state: "closed" as const, released };
  });
}
