"use client";

/** The draft's save state in the top bar: saved, saving, unsaved, failed, or in conflict. */
import styles from "./publish.module.css";

export type SaveState =
  | { kind: "saved"; at: Date | null }
  | { kind: "pending" }
  | { kind: "saving" }
  | { kind: "error"; message: string }
  | { kind: "conflict"; message: string };

export function SaveStatus({ state }: { state: SaveState }) {
  const text =
    state.kind === "saved"
      ? `Draft saved${state.at ? ` ${state.at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}` : ""}`
      : state.kind === "pending"
        ? "Unsaved changes…"
        : state.kind === "saving"
          ? "Saving…"
          : state.kind === "error"
            ? `Not saved: ${state.message}`
            : "Not saved: conflict";
  return (
    <span className={`${styles.saveStatus} ${styles[`save_${state.kind}`]}`} role="status" data-testid="save-status" data-state={state.kind}>
      {text}
    </span>
  );
}
