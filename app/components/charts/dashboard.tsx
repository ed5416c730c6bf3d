"use client";
/**
 * The overview dashboard: per flow (or all), the last 24 hours or 7 days. Every figure opens the
 * Logs filtered to what it counts (same period, live traffic only); calls to endpoints that do not
 * exist are one row, however many made-up paths they used.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { LogFilter } from "@/server/logs/filter";
import { useTRPC } from "@/app/lib/trpc";
import { formatDuration } from "../logs/format";
import { logsQueryString } from "../logs/log-url";
import { ErrorRateChart, TopErrorsChart, TrafficChart } from "./dashboard-charts";
import "../logs/logs.css";

/** The Logs page showing `filter` (its direction picks Incoming or Outgoing). */
export function logsHref(filter: LogFilter): string {
  const query = logsQueryString({ filter, execution: null });
  const page = filter.direction === "incoming" ? "/logs" : "/logs/outgoing";
  return query ? `${page}?${query}` : page;
}

export function Dashboard() {
  const trpc = useTRPC();
  const [range, setRange] = useState<"24h" | "7d">("24h");
  const [flowSlug, setFlowSlug] = useState("");
  const flows = useQuery(trpc.logs.facets.queryOptions());
  const { data, error } = useQuery({ ...trpc.dashboard.get.queryOptions({ range, flowSlug: flowSlug || undefined }), refetchInterval: 30_000 });
  const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
  // The dashboard's own period and flow, on every link: the Logs show exactly what was counted.
  const scope = (direction: LogFilter["direction"], more: Partial<LogFilter> = {}): LogFilter => ({
    direction,
    mode: "live",
    ...(data ? { from: new Date(data.from), to: new Date(data.to) } : {}),
    ...(flowSlug ? { flowSlug } : {}),
    ...more,
  });
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
            <li><Link href={logsHref(scope("incoming"))}><strong>{data.totals.incoming}</strong><span>incoming requests</span></Link></li>
            <li><Link href={logsHref(scope("outgoing"))}><strong>{data.totals.outgoing}</strong><span>outgoing attempts</span></Link></li>
            <li><Link href={logsHref(scope("incoming", { status: "FAILED" }))} title="Failed incoming requests"><strong>{pct(data.totals.errorRate)}</strong><span>error rate</span></Link></li>
            <li><Link href={logsHref(scope("incoming"))}><strong>{formatDuration(data.totals.p95Ms)}</strong><span>p95 duration</span></Link></li>
          </ul>
          <div className="chart-grid">
            <TrafficChart hours={data.hours} long={range === "7d"} />
            <ErrorRateChart hours={data.hours} long={range === "7d"} />
            <TopErrorsChart errors={data.topErrors} hrefOf={(errorCode) => logsHref(scope("incoming", { search: errorCode }))} />
            <figure className="chart" aria-label="Per flow">
              <figcaption>Per flow</figcaption>
              <table className="data-table compact per-flow">
                <thead><tr><th>Flow</th><th>Direction</th><th>Executions</th><th>Error rate</th><th>p95</th></tr></thead>
                <tbody>
                  {data.flows.map((f) => (
                    <tr key={`${f.flowSlug}:${f.direction}`}>
                      <td>
                        <Link className="clip-text" href={logsHref(scope(f.direction, { flowSlug: f.flowSlug }))} title={f.flowSlug}>{f.flowSlug}</Link>
                      </td>
                      <td>{f.direction}</td><td>{f.total}</td><td>{pct(f.errorRate)}</td><td>{formatDuration(f.p95Ms)}</td>
                    </tr>
                  ))}
                  {data.unknownEndpoints.calls > 0 && !flowSlug ? (
                    <tr className="unknown-endpoints">
                      <td>
                        <Link href={logsHref(scope("incoming", { search: "ENDPOINT_NOT_FOUND" }))} title="Calls to endpoints that do not exist: open them in the Logs">
                          Unknown endpoints
                        </Link>{" "}
                        <span className="badge tone-warn">{data.unknownEndpoints.paths} {data.unknownEndpoints.paths === 1 ? "path" : "paths"}</span>
                      </td>
                      <td>incoming</td><td>{data.unknownEndpoints.calls}</td><td>{pct(1)}</td><td>{formatDuration(data.unknownEndpoints.p95Ms)}</td>
                    </tr>
                  ) : null}
                </tbody>
              </table>
            </figure>
          </div>
        </>
      ) : null}
    </section>
  );
}
