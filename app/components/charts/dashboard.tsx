"use client";
/** The overview dashboard: per flow (or all), the last 24 hours or 7 days. */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/app/lib/trpc";
import { formatDuration } from "../logs/format";
import { ErrorRateChart, TopErrorsChart, TrafficChart } from "./dashboard-charts";
import "../logs/logs.css";

export function Dashboard() {
  const trpc = useTRPC();
  const [range, setRange] = useState<"24h" | "7d">("24h");
  const [flowSlug, setFlowSlug] = useState("");
  const flows = useQuery(trpc.logs.facets.queryOptions());
  const { data, error } = useQuery({ ...trpc.dashboard.get.queryOptions({ range, flowSlug: flowSlug || undefined }), refetchInterval: 30_000 });
  const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
  return (
    <section className="dashboard" aria-label="Dashboard">
      <div className="logs-toolbar">
        <div className="tabs" role="group" aria-label="Period">
          <button type="button" className="button" aria-pressed={range === "24h"} onClick={() => setRange("24h")}>Last 24 hours</button>
          <button type="button" className="button" aria-pressed={range === "7d"} onClick={() => setRange("7d")}>Last 7 days</button>
        </div>
        <label className="inline">
          Flow
          <select value={flowSlug} onChange={(e) => setFlowSlug(e.target.value)} aria-label="Dashboard flow">
            <option value="">All flows</option>
            {(flows.data?.flows ?? []).map((f) => (
              <option key={f.slug} value={f.slug}>{f.slug}</option>
            ))}
          </select>
        </label>
      </div>
      {error ? <p className="form-error">{error.message}</p> : null}
      {data ? (
        <>
          <ul className="stat-cards">
            <li><strong>{data.totals.incoming}</strong><span>incoming requests</span></li>
            <li><strong>{data.totals.outgoing}</strong><span>outgoing attempts</span></li>
            <li><strong>{pct(data.totals.errorRate)}</strong><span>error rate</span></li>
            <li><strong>{formatDuration(data.totals.p95Ms)}</strong><span>p95 duration</span></li>
          </ul>
          <div className="chart-grid">
            <TrafficChart hours={data.hours} long={range === "7d"} />
            <ErrorRateChart hours={data.hours} long={range === "7d"} />
            <TopErrorsChart errors={data.topErrors} />
            <figure className="chart" aria-label="Per flow">
              <figcaption>Per flow</figcaption>
              <table className="data-table compact">
                <thead><tr><th>Flow</th><th>Direction</th><th>Executions</th><th>Error rate</th><th>p95</th></tr></thead>
                <tbody>
                  {data.flows.map((f) => (
                    <tr key={`${f.flowSlug}:${f.direction}`}>
                      <td>{f.flowSlug}</td><td>{f.direction}</td><td>{f.total}</td><td>{pct(f.errorRate)}</td><td>{formatDuration(f.p95Ms)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </figure>
          </div>
        </>
      ) : null}
    </section>
  );
}
