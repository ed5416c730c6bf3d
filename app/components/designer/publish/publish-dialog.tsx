"use client";

/**
 * Publish with a note: the draft becomes the next numbered version, which the endpoint or job runs
 * from then on. Refused (and explained) while the draft has problems.
 */
import { useState } from "react";
import type { GraphError } from "@/flows/validate-graph";
import { Modal } from "./modal";
import styles from "./publish.module.css";

interface Props {
  nextVersion: number;
  problems: GraphError[];
  busy: boolean;
  error: string | null;
  onPublish: (note: string) => void;
  onClose: () => void;
}

export function PublishDialog({ nextVersion, problems, busy, error, onPublish, onClose }: Props) {
  const [note, setNote] = useState("");
  const blocked = problems.length > 0;
  return (
    <Modal title={`Publish version ${nextVersion}`} onClose={onClose}>
      {blocked ? (
        <div className={styles.warning} role="alert">
          Fix {problems.length} problem{problems.length === 1 ? "" : "s"} before publishing:
          <ul>
            {problems.slice(0, 6).map((p, i) => (
              <li key={i}>
                {p.nodeId ? <code>{p.nodeId}</code> : null} {p.message}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="muted">The endpoint runs version {nextVersion} as soon as it is published. Earlier versions stay available for rollback.</p>
      )}
      <label className={styles.label} htmlFor="publish-note">
        What changed?
      </label>
      <textarea id="publish-note" rows={3} value={note} placeholder="e.g. GSTIN format check added" onChange={(e) => setNote(e.target.value)} className={styles.textarea} />
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
      <div className={styles.actions}>
        <button type="button" className={styles.secondary} onClick={onClose}>
          Cancel
        </button>
        <button type="button" className={styles.primary} disabled={blocked || busy} onClick={() => onPublish(note.trim())}>
          {busy ? "Publishing…" : `Publish v${nextVersion}`}
        </button>
      </div>
    </Modal>
  );
}
