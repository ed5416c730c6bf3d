"use client";
/** The audit log: who did what, when — filtered by action, actor, target and time; newest first, keyset pages. */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/app/lib/trpc";
import { DataTable, KeysetPager, useKeysetPages } from "./data-table";
import { ErrorMessage } from "./error-message";
import { when } from "./format";
import styles from "./admin.module.css";

interface Filter {
  action?: string;
  actor?: string;
  target?: string;
  from?: string;
  to?: string;
}

/** A date input's day, as the start of that day in the browser's time zone. */
const dayStart = (day: string, plusDays = 0) => {
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
};

export function AuditLog() {
  const trpc = useTRPC();
  const [filter, setFilter] = useState<Filter>({});
  const pages = useKeysetPages<number>();
  const actions = useQuery(trpc.audit.actions.queryOptions());
  const list = useQuery({ ...trpc.audit.list.queryOptions({ ...filter, cursor: pages.cursor, limit: 50 }), placeholderData: keepPreviousData });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim() || undefined;
    const from = text("from");
    const to = text("to");
    setFilter({ action: text("action"), actor: text("actor"), target: text("target"), from: from && dayStart(from), to: to && dayStart(to, 1) });
    pages.reset();
  }

  return (
    <div>
      <form className={styles.inlineForm} onSubmit={submit} aria-label="Filter the audit log" style={{ marginBottom: "1rem" }}>
        <label>
          Action
          <select name="action" defaultValue="">
            <option value="">Any</option>
            {[...new Set((actions.data ?? []).map((a) => `${a.split(".")[0]}.`))].map((family) => (
              <option key={family} value={family}>
                {family}* (all)
              </option>
            ))}
            {actions.data?.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          Who (email)
          <input name="actor" />
        </label>
        <label>
          Target
          <input name="target" />
        </label>
        <label>
          From
          <input name="from" type="date" />
        </label>
        <label>
          To
          <input name="to" type="date" />
        </label>
        <button type="submit" className="button primary">
          Filter
        </button>
      </form>
      <ErrorMessage error={list.error} />
      <DataTable
        label="Audit log"
        columns={["When", "Who", "Action", "Target", "Details"]}
        empty={list.data?.items.length === 0 && `Nothing recorded${Object.values(filter).some(Boolean) ? " matches these filters" : " yet"}.`}
      >
        {list.data?.items.map((e) => (
          <tr key={e.id}>
            <td>{when(e.at)}</td>
            <td>{e.actorEmail ?? (e.actorId ? e.actorId : "system / CLI")}</td>
            <td>
              <code>{e.action}</code>
            </td>
            <td>{e.target ?? "—"}</td>
            <td>{Object.keys(e.details).length > 0 ? <pre className={styles.json}>{JSON.stringify(e.details, null, 1)}</pre> : "—"}</td>
          </tr>
        ))}
      </DataTable>
      <KeysetPager pages={pages} nextCursor={list.data?.nextCursor} />
    </div>
  );
}
