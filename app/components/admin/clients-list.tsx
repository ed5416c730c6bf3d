"use client";
/** API clients — credentials issued by the ERP to external systems — and the form that creates one. */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/app/lib/trpc";
import { useCan } from "@/app/lib/use-can";
import { ClientCreateForm } from "./client-create-form";
import { ErrorMessage } from "./error-message";
import { when } from "./format";
import { StatusBadge } from "./status-badge";
import styles from "./admin.module.css";

export function ClientsList() {
  const trpc = useTRPC();
  const canManage = useCan("clients.manage");
  const [creating, setCreating] = useState(false);
  const clients = useQuery(trpc.clients.list.queryOptions());
  return (
    <div>
      <div className={styles.header}>
        <div>
          <h1>API Clients</h1>
          <p className="muted">Credentials issued by the ERP: the API keys and bearer tokens external systems call our incoming endpoints with.</p>
        </div>
        {canManage && !creating && (
          <button type="button" className="button primary" onClick={() => setCreating(true)}>
            New API client
          </button>
        )}
      </div>
      {creating && <ClientCreateForm onClose={() => setCreating(false)} />}
      <ErrorMessage error={clients.error} />
      <div className={styles.wrap}>
        <table className={styles.table} aria-label="API clients">
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th>Flows</th>
              <th>Keys and tokens</th>
              <th>Limits</th>
              <th>Last used</th>
            </tr>
          </thead>
          <tbody>
            {clients.data?.map((c) => {
              const active = c.credentials.filter((k) => k.status === "active");
              return (
                <tr key={c.id}>
                  <td>
                    <Link href={`/clients/${encodeURIComponent(c.name)}`}>{c.name}</Link>
                    {c.description && <div className={styles.note}>{c.description}</div>}
                  </td>
                  <td>
                    <StatusBadge status={c.active ? "active" : "disabled"} />
                  </td>
                  <td>{c.flowScopes.includes("*") ? "all incoming flows" : c.flowScopes.join(", ") || "none"}</td>
                  <td>
                    {active.length} active{active.length > 0 ? `: ${active.map((k) => k.masked).join(", ")}` : ""}
                  </td>
                  <td>
                    {c.rateLimitPerMinute ? `${c.rateLimitPerMinute}/min` : "no rate limit"}
                    {c.ipAllowlist.length > 0 ? ` · ${c.ipAllowlist.length} IP range(s)` : ""}
                    {c.signingSecret ? ` · signing${c.requireSignature ? " required" : ""}` : ""}
                  </td>
                  <td>{when(c.lastUsedAt, "never")}</td>
                </tr>
              );
            })}
            {clients.data?.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">
                  No API clients yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
