"use client";
/**
 * The building blocks the admin and records screens share: a bordered table with its header row and
 * an "empty" line, the Edit / Delete (after a confirm) buttons of a row, a form's Save / Cancel row,
 * and Newer / Older keyset pages.
 */
import { useMemo, useState, type ReactNode } from "react";
import { ErrorMessage } from "./error-message";
import styles from "./admin.module.css";

/** A column header; `false`, null or undefined leaves the column out (a role that does not see it). */
export type Column = ReactNode;

export function DataTable({ label, columns, empty, children }: { label: string; columns: Column[]; empty?: ReactNode; children: ReactNode }) {
  const shown = columns.filter((c) => c !== false && c !== null && c !== undefined);
  return (
    <div className={styles.wrap}>
      <table className={styles.table} aria-label={label}>
        <thead>
          <tr>
            {shown.map((c, i) => (
              <th key={i}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {children}
          {empty ? (
            <tr>
              <td colSpan={shown.length} className="muted">
                {empty}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

/** Edit and Delete for one row; Delete asks `confirmDelete` first. */
export function EditDeleteButtons({ onEdit, onDelete, confirmDelete, children }: { onEdit: () => void; onDelete: () => void; confirmDelete: string; children?: ReactNode }) {
  return (
    <div className={styles.row}>
      {children}
      <button type="button" className="button" onClick={onEdit}>
        Edit
      </button>
      <button
        type="button"
        className="button"
        onClick={() => {
          if (window.confirm(confirmDelete)) onDelete();
        }}
      >
        Delete
      </button>
    </div>
  );
}

/** A form's last lines: the save error, then Save and Cancel. */
export function FormActions({ saveLabel, pending, error, onCancel }: { saveLabel: string; pending: boolean; error: { message: string } | null | undefined; onCancel: () => void }) {
  return (
    <>
      <ErrorMessage error={error} />
      <div className={styles.row}>
        <button type="submit" className="button primary" disabled={pending}>
          {saveLabel}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}

/**
 * Keyset pages walked with Newer / Older: the cursors come through are kept, so Newer goes back
 * exactly. `reset` starts again at the first page (a new filter or search).
 */
export function useKeysetPages<C>() {
  const [cursors, setCursors] = useState<(C | undefined)[]>([undefined]);
  // Stable functions: a caller may list `reset` in an effect's dependencies.
  const moves = useMemo(
    () => ({
      newer: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
      older: (next: C) => setCursors((c) => [...c, next]),
      reset: () => setCursors((c) => (c.length === 1 ? c : [undefined])),
    }),
    [],
  );
  return { cursor: cursors.at(-1), page: cursors.length, ...moves };
}

export function KeysetPager<C>({ pages, nextCursor }: { pages: ReturnType<typeof useKeysetPages<C>>; nextCursor: C | null | undefined }) {
  return (
    <div className={styles.pager}>
      <button type="button" className="button" disabled={pages.page <= 1} onClick={pages.newer}>
        ← Newer
      </button>
      <span className="muted">Page {pages.page}</span>
      <button type="button" className="button" disabled={nextCursor === null || nextCursor === undefined} onClick={() => nextCursor != null && pages.older(nextCursor)}>
        Older →
      </button>
    </div>
  );
}
