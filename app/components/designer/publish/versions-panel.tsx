"use client";

/**
 * Published versions: number, who, when, note, which one runs. Tick two (or a version and the
 * draft) to compare them side by side; roll back by making an older version the one that runs.
 */
import { useState } from "react";
import type { RouterOutputs } from "@/app/lib/router-types";
import styles from "./publish.module.css";

export type VersionRow = RouterOutputs["flows"]["versions"][number];

/** "draft" stands for the unpublished draft in comparisons. */
export type VersionRef = number | "draft";

interface Props {
  versions: VersionRow[];
  /** The draft differs from the live version: list it, so it can be compared. */
  showDraft: boolean;
  canPublish: boolean;
  busyVersion: number | null;
  onRollback: (version: number) => void;
  onCompare: (left: VersionRef, right: VersionRef) => void;
}

const when = (d: Date) => d.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });

export function VersionsPanel({ versions, showDraft, canPublish, busyVersion, onRollback, onCompare }: Props) {
  const [picked, setPicked] = useState<VersionRef[]>([]);
  const toggle = (ref: VersionRef) =>
    setPicked((current) => (current.includes(ref) ? current.filter((r) => r !== ref) : [...current, ref].slice(-2)));
  const ordered = [...picked].sort((a, b) => (a === "draft" ? 1 : b === "draft" ? -1 : a - b));

  if (versions.length === 0) return <p className="muted">Not published yet. Publish the draft to create version 1.</p>;
  return (
    <div className={styles.versions}>
      <table className={styles.table} aria-label="Versions">
        <thead>
          <tr>
            <th aria-label="compare" />
            <th>Version</th>
            <th>Published</th>
            <th>By</th>
            <th>Note</th>
            <th aria-label="actions" />
          </tr>
        </thead>
        <tbody>
          {showDraft ? (
            <tr data-testid="version-draft">
              <td>
                <input type="checkbox" aria-label="compare the draft" checked={picked.includes("draft")} onChange={() => toggle("draft")} />
              </td>
              <td colSpan={4} className="muted">
                Draft (unpublished changes)
              </td>
              <td />
            </tr>
          ) : null}
          {versions.map((v) => (
            <tr key={v.version} data-testid={`version-${v.version}`}>
              <td>
                <input type="checkbox" aria-label={`compare v${v.version}`} checked={picked.includes(v.version)} onChange={() => toggle(v.version)} />
              </td>
              <td>
                <strong>v{v.version}</strong> {v.current ? <span className={styles.live}>live</span> : null}
              </td>
              <td>{when(v.publishedAt)}</td>
              <td>{v.publishedBy ?? <span className="muted">CLI / seed</span>}</td>
              <td className={styles.note}>{v.note || <span className="muted">—</span>}</td>
              <td>
                {!v.current && canPublish ? (
                  <button type="button" className={styles.secondary} disabled={busyVersion !== null} onClick={() => onRollback(v.version)}>
                    {busyVersion === v.version ? "Rolling back…" : `Roll back to v${v.version}`}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className={styles.actions}>
        <span className="muted">{picked.length < 2 ? "Tick two rows to compare them." : null}</span>
        <button type="button" className={styles.primary} disabled={ordered.length !== 2} onClick={() => onCompare(ordered[0]!, ordered[1]!)}>
          Compare {ordered.length === 2 ? ordered.map((r) => (r === "draft" ? "draft" : `v${r}`)).join(" ↔ ") : ""}
        </button>
      </div>
    </div>
  );
}
