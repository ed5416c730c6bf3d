"use client";

/**
 * Publish with a note: the draft becomes the next numbered version, which the endpoint or job runs
 * from then on. Refused (and explained) while the draft has problems; when the draft is exactly the
 * version that runs (after a rollback, or a publish with no edit since) there is nothing to publish,
 * and the dialog says so instead of offering a version number the server would not create.
 */
import { useState } from "react";
import type { FlowFile } from "@/flows/format";
import type { GraphError } from "@/flows/validate-graph";
import { Modal } from "./modal";
import { useDraftMatchesLive } from "./use-draft-matches-live";
import styles from "./publish.module.css";

interface Props {
  draft: FlowFile;
  publishedVersion: number | null;
  nextVersion: number;
  problems: GraphError[];
  busy: boolean;
  error: string | null;
  onPublish: (note: string) => void;
  onClose: () => void;
}

export function PublishDialog({ draft, publishedVersion, nextVersion, problems, busy, error, onPublish, onClose }: Props) {
  const [note, setNote] = useState("");
  const unchanged = useDraftMatchesLive(draft, publishedVersion);
  if (unchanged === true) {
    return (
      <Modal title="Nothing to publish" onClose={onClose}>
        <p data-testid="nothing-to-publish">
          The draft is the same as v{publishedVersion}, which runs now. Change the flow first; publishing then makes v{nextVersion}.
        </p>
        <div className={styles.actions}>
          <button type="button" className={styles.primary} onClick={onClose}>
            OK
          </button>
        </div>
      </Modal>
    );
  }
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
        <button type="button" className={styles.primary} disabled={blocked || busy || unchanged === undefined} onClick={() => onPublish(note.trim())}>
          {busy ? "Publishing…" : `Publish v${nextVersion}`}
        </button>
      </div>
    </Modal>
  );
}
