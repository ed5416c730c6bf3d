"use client";
/** The filter bar of the logs: applied on submit (or on change for the selects), never per keystroke. */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import type { LogFilter } from "@/server/logs/filter";
import { useTRPC } from "@/app/lib/trpc";
import { fromLocalInput, toLocalInput } from "./format";
import { LOG_STATUSES } from "./log-url";

export function LogFilters({ filter, onChange }: { filter: LogFilter; onChange: (filter: LogFilter) => void }) {
  const trpc = useTRPC();
  const facets = useQuery(trpc.logs.facets.queryOptions());
  const [search, setSearch] = useState(filter.search ?? "");
  const [http, setHttp] = useState(filter.httpStatus ? String(filter.httpStatus) : "");
  // The filter also changes from outside (Back, a shared link): show what is applied.
  useEffect(() => setSearch(filter.search ?? ""), [filter.search]);
  useEffect(() => setHttp(filter.httpStatus ? String(filter.httpStatus) : ""), [filter.httpStatus]);
  const incoming = filter.direction === "incoming";
  const flows = (facets.data?.flows ?? []).filter((f) => f.direction === filter.direction);
  const who = incoming ? facets.data?.clients : facets.data?.connections;

  const set = (patch: Partial<LogFilter>) => {
    const next: LogFilter = { ...filter, ...patch };
    for (const key of Object.keys(next) as (keyof LogFilter)[]) if (next[key] === undefined || next[key] === "") delete next[key];
    onChange(next);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const code = Number(http);
    set({ search: search.trim() || undefined, httpStatus: http && Number.isInteger(code) && code >= 100 && code <= 599 ? code : undefined });
  };

  return (
    <form className="log-filters" onSubmit={submit} aria-label="Filters">
      <label>
        Flow
        <select value={filter.flowSlug ?? ""} onChange={(e) => set({ flowSlug: e.target.value || undefined })}>
          <option value="">All flows</option>
          {flows.map((f) => (
            <option key={f.slug} value={f.slug}>
              {f.slug}
            </option>
          ))}
        </select>
      </label>
      <label>
        Status
        <select value={filter.status ?? ""} onChange={(e) => set({ status: (e.target.value || undefined) as LogFilter["status"] })}>
          <option value="">Any</option>
          {LOG_STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label>
        HTTP
        <input inputMode="numeric" placeholder="e.g. 400" size={5} value={http} onChange={(e) => setHttp(e.target.value)} onBlur={submit} />
      </label>
      <label>
        {incoming ? "API client" : "Connection"}
        <select
          value={(incoming ? filter.clientName : filter.connectionName) ?? ""}
          onChange={(e) => set(incoming ? { clientName: e.target.value || undefined } : { connectionName: e.target.value || undefined })}
        >
          <option value="">Any</option>
          {(who ?? []).map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
      </label>
      <label>
        Mode
        <select value={filter.mode ?? ""} onChange={(e) => set({ mode: (e.target.value || undefined) as LogFilter["mode"] })}>
          <option value="">Any</option>
          <option value="live">live</option>
          <option value="dry">dry run</option>
          <option value="replay">replay</option>
        </select>
      </label>
      <label>
        From
        <input type="datetime-local" value={toLocalInput(filter.from ? new Date(filter.from) : undefined)} onChange={(e) => set({ from: fromLocalInput(e.target.value) })} />
      </label>
      <label>
        To
        <input type="datetime-local" value={toLocalInput(filter.to ? new Date(filter.to) : undefined)} onChange={(e) => set({ to: fromLocalInput(e.target.value) })} />
      </label>
      <label className="log-search">
        Search
        <input type="search" placeholder="GST number, vendor name, record id, request id, error code…" value={search} onChange={(e) => setSearch(e.target.value)} />
      </label>
      <button type="submit" className="button">
        Apply
      </button>
    </form>
  );
}
