"use client";

/** Name → value pairs (send headers, schedule filters), edited as rows. */
import { useState } from "react";
import styles from "./inspector.module.css";

interface Props {
  id: string;
  value: Record<string, unknown>;
  readOnly: boolean;
  onChange: (value: Record<string, string>) => void;
}

export function KeyValueEditor({ id, value, readOnly, onChange }: Props) {
  const rows = Object.entries(value).map(([k, v]) => [k, v === null || v === undefined ? "" : String(v)] as const);
  const [draftKey, setDraftKey] = useState("");
  const emit = (next: (readonly [string, string])[]) => onChange(Object.fromEntries(next.filter(([k]) => k !== "")));
  return (
    <div id={id} className={styles.kv}>
      {rows.map(([k, v], i) => (
        <div key={k} className={styles.kvRow}>
          <input aria-label="name" value={k} readOnly={readOnly} onChange={(e) => emit(rows.map((r, j) => (j === i ? [e.target.value, r[1]] : r)))} />
          <input aria-label={`value of ${k}`} value={v} readOnly={readOnly} onChange={(e) => emit(rows.map((r, j) => (j === i ? [r[0], e.target.value] : r)))} />
          {!readOnly ? (
            <button type="button" className={styles.iconButton} aria-label={`remove ${k}`} onClick={() => emit(rows.filter((_, j) => j !== i))}>
              ×
            </button>
          ) : null}
        </div>
      ))}
      {!readOnly ? (
        <div className={styles.kvRow}>
          <input aria-label="new name" placeholder="name" value={draftKey} onChange={(e) => setDraftKey(e.target.value)} />
          <button
            type="button"
            className={styles.smallButton}
            disabled={draftKey.trim() === "" || rows.some(([k]) => k === draftKey.trim())}
            onClick={() => {
              emit([...rows, [draftKey.trim(), ""]]);
              setDraftKey("");
            }}
          >
            Add
          </button>
        </div>
      ) : null}
    </div>
  );
}
