"use client";
/** Days of log kept per flow (default 30). Whole months are dropped once no flow keeps them. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useCan } from "@/app/lib/use-can";
import { useTRPC } from "@/app/lib/trpc";
import "./logs.css";

function RetentionRow({ slug, direction, days, editable }: { slug: string; direction: string; days: number; editable: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [value, setValue] = useState(String(days));
  const save = useMutation(trpc.logs.setRetention.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.logs.retention.queryKey() }) }));
  const n = Number(value);
  const valid = Number.isInteger(n) && n >= 1 && n <= 3650;
  return (
    <tr>
      <td>{slug}</td>
      <td>{direction}</td>
      <td>
        <input aria-label={`Retention days of ${slug}`} type="number" min={1} max={3650} value={value} disabled={!editable} onChange={(e) => setValue(e.target.value)} /> days
      </td>
      <td>
        {editable ? (
          <button type="button" className="button" disabled={!valid || n === days || save.isPending} onClick={() => save.mutate({ flowSlug: slug, days: n })}>
            Save
          </button>
        ) : null}
        {save.error ? <span className="form-error">{save.error.message}</span> : null}
      </td>
    </tr>
  );
}

export function RetentionSettings() {
  const trpc = useTRPC();
  const editable = useCan("settings.manage");
  const { data, error } = useQuery(trpc.logs.retention.queryOptions());
  return (
    <section className="logs">
      <h1>Logs</h1>
      <nav className="tabs" aria-label="Log views">
        <Link href="/logs">Incoming Logs</Link>
        <Link href="/logs/outgoing">Outgoing Logs</Link>
        <Link href="/logs/retention" aria-current="page">Retention</Link>
      </nav>
      <p className="muted">
        Each flow keeps its logs for the days below (30 by default). Logs are stored by month: a nightly job drops a whole month once no flow keeps
        it, and trims flows with shorter retention in small batches. Request and response bodies over 256 KiB and trace values over 64 KiB are
        kept cut.
      </p>
      {error ? <p className="form-error">{error.message}</p> : null}
      <table className="data-table" aria-label="Retention">
        <thead>
          <tr><th>Flow</th><th>Direction</th><th>Keep</th><th /></tr>
        </thead>
        <tbody>
          {(data ?? []).map((r) => (
            <RetentionRow key={`${r.slug}:${r.retentionDays}`} slug={r.slug} direction={r.direction} days={r.retentionDays} editable={editable} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
