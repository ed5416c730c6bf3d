/**
 * Operations alerts: operators are told when deliveries reach the Failed Queue and when a
 * connection's circuit opens or stays open past FLOWPORT_CIRCUIT_ALERT_AFTER_MS. Deduplicated: one
 * open alert per kind and connection; a repeat while it is unacknowledged counts up instead of
 * raising another (an outage sends one "circuit opened", not one alert per delivery).
 *
 * Each new alert shows as a notice in the navigation until acknowledged (audited), and, when
 * FLOWPORT_OPS_WEBHOOK_CONNECTION names a connection, is posted there by the `send-ops-alert` job
 * (signed with Standard Webhooks by the connection's webhook_signing credential). The event:
 *
 *   { "type": "circuit.opened" | "circuit.still_open" | "delivery.failed",
 *     "id": "alert-<id>", "timestamp": "<ISO 8601>",
 *     "data": { "connection": "<name>", "message": "<words>", "count": <repeats>, ...details } }
 */
import type { Sql } from "postgres";
import { auditActor, actorLabel, type Actor } from "@/server/audit/actor";
import { recordAudit } from "@/server/audit/audit-log";
import { FlowError } from "@/server/engine/errors";
import { env } from "@/server/env";
import type { Queryable } from "@/server/db/queryable";
import { createSender } from "./send";

export const ALERT_KINDS = ["circuit.opened", "circuit.still_open", "delivery.failed"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const SEND_ALERT_TASK = "send-ops-alert";

export interface OpsAlert {
  id: number;
  kind: AlertKind;
  connection: string;
  message: string;
  details: Record<string, unknown>;
  count: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Raises (or counts up) the alert `kind` for `connection`. A new one is queued for the operations
 * webhook in the same statement. Returns whether it was new.
 */
export async function raiseAlert(sql: Queryable, alert: { kind: AlertKind; connection: string; message: string; details?: Record<string, unknown> }): Promise<boolean> {
  const webhook = env().FLOWPORT_OPS_WEBHOOK_CONNECTION ?? null;
  const [row] = await sql<{ id: number; inserted: boolean }[]>`
    with raised as (
      insert into ops_alerts as a (kind, connection_name, message, details)
      values (${alert.kind}, ${alert.connection}, ${alert.message}, ${sql.json((alert.details ?? {}) as never)})
      on conflict (kind, connection_name) where acknowledged_at is null
      do update set count = a.count + 1, updated_at = now(), details = excluded.details
      returning id, (xmax = 0) as inserted)
    select r.id, r.inserted,
      (select graphile_worker.add_job(${SEND_ALERT_TASK}, json_build_object('alertId', r.id), max_attempts => 10)
       where r.inserted and ${webhook}::text is not null) as job
    from raised r`;
  return row?.inserted ?? false;
}

interface AlertRow {
  id: string | number;
  kind: AlertKind;
  connection_name: string;
  message: string;
  details: Record<string, unknown>;
  count: number;
  created_at: Date;
  updated_at: Date;
}

const toAlert = (r: AlertRow): OpsAlert => ({
  id: Number(r.id),
  kind: r.kind,
  connection: r.connection_name,
  message: r.message,
  details: r.details,
  count: r.count,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Alerts not yet acknowledged, newest first. */
export async function listOpenAlerts(sql: Queryable): Promise<OpsAlert[]> {
  const rows = await sql<AlertRow[]>`
    select id, kind, connection_name, message, details, count, created_at, updated_at
    from ops_alerts where acknowledged_at is null order by updated_at desc limit 100`;
  return rows.map(toAlert);
}

/** Acknowledges an alert (NOT_FOUND when unknown or already acknowledged), with an audit row. */
export async function acknowledgeAlert(sql: Sql, input: { id: number }, actor: Actor): Promise<{ id: number }> {
  return sql.begin(async (tx) => {
    const [row] = await tx<{ kind: string; connection_name: string }[]>`
      update ops_alerts set acknowledged_at = now(), acknowledged_by = ${actorLabel(actor)}
      where id = ${input.id} and acknowledged_at is null returning kind, connection_name`;
    if (!row) throw new FlowError("NOT_FOUND", { message: `No open alert ${input.id}`, retryable: false });
    await recordAudit(tx, { ...auditActor(actor), action: "alert.acknowledged", target: row.connection_name, details: { id: input.id, kind: row.kind } });
    return { id: input.id };
  });
}

/** The operations webhook's event for an alert (the documented shape above). */
export function alertEvent(alert: OpsAlert) {
  return {
    type: alert.kind,
    id: `alert-${alert.id}`,
    timestamp: alert.createdAt.toISOString(),
    data: { connection: alert.connection, message: alert.message, count: alert.count, ...alert.details },
  };
}

/**
 * The `send-ops-alert` job: posts the alert to the operations connection. Throws on anything but
 * 2xx, so graphile-worker retries it with its own backoff.
 */
export async function sendOpsAlert(sql: Sql, alertId: number): Promise<void> {
  const connection = env().FLOWPORT_OPS_WEBHOOK_CONNECTION;
  if (!connection) return;
  const [row] = await sql<AlertRow[]>`
    select id, kind, connection_name, message, details, count, created_at, updated_at from ops_alerts where id = ${alertId}`;
  if (!row) return;
  const send = createSender(sql);
  const response = await send({ connection, method: "POST", path: "/", headers: {}, body: alertEvent(toAlert(row)), timeoutMs: 0, idempotencyKey: `alert-${alertId}` });
  if (response.status < 200 || response.status >= 300) throw new Error(`operations webhook ${connection} answered HTTP ${response.status}`);
}
