"use client";

/** Incoming or outgoing flows as a table: version, state, last run, today's successes and errors, actions. */
import Link from "next/link";
import { flowState, relativeTime, type FlowListRow } from "./flow-row";
import styles from "./flows-list.module.css";

interface Props {
  title: string;
  rows: FlowListRow[];
  canEdit: boolean;
  onDuplicate: (row: FlowListRow) => void;
  onExport: (row: FlowListRow) => void;
}

export function FlowsTable({ title, rows, canEdit, onDuplicate, onExport }: Props) {
  return (
    <section className={styles.group}>
      <h2>
        {title} <span className={styles.count}>{rows.length}</span>
      </h2>
      {rows.length === 0 ? (
        <div className="empty">No {title.toLowerCase()} yet.</div>
      ) : (
        <table className={styles.table} aria-label={title}>
          <thead>
            <tr>
              <th>Flow</th>
              <th>Version</th>
              <th>State</th>
              <th>Last run</th>
              <th title="Live runs since midnight">Today</th>
              <th aria-label="actions" />
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const state = flowState(row);
              return (
                <tr key={row.slug} data-testid={`flow-row-${row.slug}`}>
                  <td>
                    <Link href={`/flows/${row.slug}`} className={styles.name}>
                      {row.name}
                    </Link>
                    <div className={styles.slug}>{row.slug}</div>
                  </td>
                  <td>{row.publishedVersion === null ? <span className="muted">—</span> : `v${row.publishedVersion}`}</td>
                  <td>
                    <span className={`${styles.state} ${styles[`state_${state.replace(" ", "_")}`]}`}>{state}</span>
                  </td>
                  <td>
                    {row.lastRunAt ? (
                      <span title={row.lastRunAt.toLocaleString()}>
                        <span className={row.lastStatus === "SUCCESS" ? styles.ok : styles.bad}>●</span> {relativeTime(row.lastRunAt)}
                      </span>
                    ) : (
                      <span className="muted">never</span>
                    )}
                  </td>
                  <td>
                    <span className={styles.ok} title="successful">
                      {row.todaySuccess} ok
                    </span>{" "}
                    <span className={row.todayErrors > 0 ? styles.bad : "muted"} title="failed">
                      {row.todayErrors} failed
                    </span>
                  </td>
                  <td className={styles.rowActions}>
                    <Link href={`/flows/${row.slug}`} className={styles.action}>
                      {canEdit ? "Edit" : "Open"}
                    </Link>
                    {canEdit ? (
                      <button type="button" className={styles.action} onClick={() => onDuplicate(row)}>
                        Duplicate
                      </button>
                    ) : null}
                    <button type="button" className={styles.action} onClick={() => onExport(row)}>
                      Export
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
