"use client";

/** What the flows list's dialogs (new, duplicate, import) share: the slug rule and the error + actions footer. */
import styles from "./flows-list.module.css";

/** The slug rule as an <input pattern> (the server's slugSchema says the same). */
export const SLUG_PATTERN = "[a-z0-9]+(-[a-z0-9]+)*";
export const SLUG_TITLE = "lowercase letters, digits and single hyphens";

export function DialogFooter({ error, busy, busyLabel, label, disabled, onClose }: { error?: string | null; busy: boolean; busyLabel: string; label: string; disabled?: boolean; onClose: () => void }) {
  return (
    <>
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
      <div className={styles.headerActions} style={{ justifyContent: "flex-end" }}>
        <button type="button" className={styles.secondary} onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className={styles.primary} disabled={busy || disabled}>
          {busy ? busyLabel : label}
        </button>
      </div>
    </>
  );
}
