"use client";
/**
 * One entity's records: search, status filter, keyset pages (server-side), and a selection to
 * "Send to API". The page keeps the cursors it came through, so "Newer" goes back exactly.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import type { EntityDefinition } from "@/flows/erp/entities";
import { useTRPC } from "@/app/lib/trpc";
import { useCan } from "@/app/lib/use-can";
import { DataTable, KeysetPager, useKeysetPages } from "../admin/data-table";
import { ErrorMessage } from "../admin/error-message";
import { cellValue, when } from "../admin/format";
import { StatusBadge } from "../admin/status-badge";
import styles from "../admin/admin.module.css";
import { SendToApi } from "./send-to-api";

const PAGE_SIZE = 25;

export function RecordsTable({ entity }: { entity: EntityDefinition }) {
  const trpc = useTRPC();
  const canSend = useCan("records.send");
  const [typed, setTyped] = useState("");
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState("");
  const pages = useKeysetPages<string>();
  const { cursor, reset } = pages;
  const [selected, setSelected] = useState<string[]>([]);

  // Search as you type, a moment after the last key (one query, not one per key).
  useEffect(() => {
    const timer = setTimeout(() => {
      setSearch(typed.trim());
      reset();
    }, 300);
    return () => clearTimeout(timer);
  }, [typed, reset]);

  const list = useQuery({
    ...trpc.records.list.queryOptions({ entity: entity.name, search: search || undefined, status: status || undefined, cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const columns = [entity.titleField, ...entity.fields.map((f) => f.name).filter((n) => n !== entity.titleField)].slice(0, 4);
  const statuses = entity.statuses ? Object.keys(entity.statuses.transitions) : [];
  const items = list.data?.items ?? [];
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));

  return (
    <div>
      <div className={styles.toolbar}>
        <input type="search" placeholder={`Search ${entity.label.toLowerCase()} records`} value={typed} onChange={(e) => setTyped(e.target.value)} aria-label="Search records" />
        {statuses.length > 0 && (
          <select
            value={status}
            aria-label="Status"
            onChange={(e) => {
              setStatus(e.target.value);
              pages.reset();
            }}
          >
            <option value="">Any status</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        )}
      </div>
      <ErrorMessage error={list.error} />
      <DataTable
        label={`${entity.label} records`}
        columns={[canSend && <span className="visually-hidden">Select</span>, "Record", ...columns.map((c) => entity.fields.find((f) => f.name === c)?.label ?? c), entity.statuses && "Status", "Created"]}
        empty={list.data && items.length === 0 && `No records${search ? ` match "${search}"` : ""}.`}
      >
        {items.map((r) => (
          <tr key={r.id}>
            {canSend && (
              <td>
                <input type="checkbox" aria-label={`Select ${r.recordId}`} checked={selected.includes(r.recordId)} onChange={() => toggle(r.recordId)} />
              </td>
            )}
            <td>
              <Link href={`/records/${entity.name}/${encodeURIComponent(r.recordId)}`}>{r.recordId}</Link>
            </td>
            {columns.map((c) => (
              <td key={c}>{cellValue(r.data[c], entity.fields.find((f) => f.name === c)?.type)}</td>
            ))}
            {entity.statuses && (
              <td>
                <StatusBadge status={r.status} />
              </td>
            )}
            <td>{when(r.createdAt)}</td>
          </tr>
        ))}
      </DataTable>
      <KeysetPager pages={pages} nextCursor={list.data?.nextCursor} />
      {canSend && selected.length > 0 && (
        <div className={styles.panel} style={{ marginTop: "1rem" }}>
          <h2>
            Send {selected.length} selected {selected.length === 1 ? "record" : "records"} to API
          </h2>
          <SendToApi entity={entity.name} recordIds={selected} />
          <button type="button" className="button link" onClick={() => setSelected([])}>
            Clear selection
          </button>
        </div>
      )}
    </div>
  );
}
