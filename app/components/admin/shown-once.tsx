"use client";
/** A key, token, password or signing secret that will not be shown again: the value, a copy button and a warning. */
import { CopyButton } from "./copy-button";
import styles from "./admin.module.css";

export interface OnceSecret {
  label: string;
  value: string;
  hint?: string;
}

export function ShownOnce({ secrets, onDone }: { secrets: OnceSecret[]; onDone?: () => void }) {
  if (secrets.length === 0) return null;
  return (
    <div className={styles.secret} role="status" aria-label="Shown once">
      <strong>Store {secrets.length === 1 ? "this" : "these"} now: {secrets.length === 1 ? "it" : "they"} will not be shown again.</strong>
      {secrets.map((s) => (
        <div key={s.label} data-testid="shown-once">
          <div className={styles.row} style={{ marginTop: "0.5rem" }}>
            <span>{s.label}</span>
            <CopyButton value={s.value} label={`Copy ${s.label.toLowerCase()}`} />
          </div>
          <code>{s.value}</code>
          {s.hint && <p className={styles.note}>{s.hint}</p>}
        </div>
      ))}
      {onDone && (
        <button type="button" className="button" onClick={onDone}>
          I have stored it
        </button>
      )}
    </div>
  );
}
