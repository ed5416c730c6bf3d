"use client";
/**
 * The Incoming or Outgoing Logs: filters, a keyset-paginated table (newest first, "Load older"
 * fetches the next page), live refresh every few seconds while no drawer is open, and the detail
 * drawer. The filter and the open execution live in the address bar (log-url.ts): a filtered view
 * can be shared, survives a reload, and Back returns to the previous filter.
 */
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
import type { LogFilter } from "@/server/logs/filter";
import { useTRPC } from "@/app/lib/trpc";
import { BulkAction } from "./bulk-action";
import { ExecutionDrawer } from "./execution-drawer";
import { formatDuration, formatTime, statusTone } from "./format";
import { LogFilters } from "./log-filters";
import { logsQueryString, readLogsLocation, type LogsLocation } from "./log-url";
import "./logs.css";

const REFRESH_MS = 5_000;

/** The row's business values (the flow's key fields) in one line: "GST_No 27ABC… · Vendor_Name ABC Suppliers". */
const keyValuesText = (values: { field: string; value: string }[]) =>
  values
    .map(({ field, value }) => `${field} ${value}`)
    .join(" · ");

export function LogsView({ direction }: { direction: "incoming" | "outgoing" }) {
  const trpc = useTRPC();
  const pathname = usePathname();
  const params = useSearchParams();
  const { filter, execution: openId } = useMemo(() => readLogsLocation(direction, params), [direction, params]);
  // Next's router follows the native history API (useSearchParams updates) without a server round trip.
  // A new filter is a new history entry; opening or closing a detail replaces the current one.
  const go = useCallback(
    (next: LogsLocation, how: "push" | "replace") => {
      const query = logsQueryString(next);
      window.history[how === "push" ? "pushState" : "replaceState"](null, "", query ? `${pathname}?${query}` : pathname);
    },
    [pathname],
  );
  const setFilter = (next: LogFilter) => go({ filter: next, execution: null }, "push");
  const setOpenId = useCallback((id: string | null) => go({ filter, execution: id }, "replace"), [go, filter]);
  const [live, setLive] = useState(true);
  const query = useInfiniteQuery(
    trpc.logs.list.infiniteQueryOptions(
      { filter, limit: 50 },
      { getNextPageParam: (last) => last.nextCursor, refetchInterval: live && !openId ? REFRESH_MS : false },
    ),
  );
  const closeDrawer = useCallback(() => setOpenId(null), [setOpenId]);
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  const incoming = direction === "incoming";

  return (
    <section className="logs">
      <h1>Logs</h1>
      <nav className="tabs" aria-label="Log views">
        <Link href="/logs" aria-current={incoming ? "page" : undefined}>Incoming Logs</Link>
        <Link href="/logs/outgoing" aria-current={!incoming ? "page" : undefined}>Outgoing Logs</Link>
        <Link href="/logs/retention">Retention</Link>
      </nav>
      <LogFilters filter={filter} onChange={setFilter} />
      <div className="logs-toolbar">
        <label className="inline">
          <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} /> Live refresh {openId ? "(paused while a detail is open)" : ""}
        </label>
        <BulkAction filter={filter} />
      </div>
      {query.error ? <p className="form-error">{query.error.message}</p> : null}
      {/* A narrow window scrolls the table, never the page. */}
      <div className="table-scroll">
        <table className="data-table" aria-label={incoming ? "Incoming Logs" : "Outgoing Logs"}>
          <thead>
            <tr>
              <th>Time</th>
              <th>Flow</th>
              <th>Status</th>
              <th>HTTP</th>
              <th>{incoming ? "API client" : "Connection"}</th>
              <th>Record</th>
              {incoming ? <th>Request id</th> : <th>Reference id</th>}
              {!incoming ? <th>Attempt</th> : null}
              <th>Error</th>
              <th>Duration</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className={openId === r.id ? "selected" : undefined} onClick={() => setOpenId(r.id)} tabIndex={0} onKeyDown={(e) => e.key === "Enter" && setOpenId(r.id)}>
                <td>{formatTime(r.startedAt)}</td>
                <td>
                  <span className="clip-text" title={r.flowSlug ?? undefined}>{r.flowSlug ?? "—"}</span>
                  {r.mode !== "live" ? <span className="badge">{r.mode}</span> : null}
                  {r.keyValues ? <span className="key-values clip-text" title={keyValuesText(r.keyValues)}>{keyValuesText(r.keyValues)}</span> : null}
                </td>
                <td><span className={`badge tone-${statusTone(r.status)}`}>{r.status}</span></td>
                <td>{r.httpStatus ?? "—"}</td>
                <td>{(incoming ? r.clientName : r.connectionName) ?? "—"}</td>
                <td>{r.recordId ?? "—"}</td>
                {incoming ? <td><code>{r.requestId?.slice(0, 13) ?? "—"}</code></td> : <td>{r.referenceId ?? "—"}</td>}
                {!incoming ? <td>{r.attempts}</td> : null}
                <td><span className="clip-text" title={r.errorCode ?? undefined}>{r.errorCode ?? ""}</span></td>
                <td>{formatDuration(r.durationMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!query.isLoading && rows.length === 0 ? <div className="empty">No {direction} executions match.</div> : null}
      {query.hasNextPage ? (
        <button type="button" className="button" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
          Load older
        </button>
      ) : null}
      {openId ? <ExecutionDrawer key={openId} id={openId} onClose={closeDrawer} onOpen={setOpenId} /> : null}
    </section>
  );
}
