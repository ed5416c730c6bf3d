"use client";

/** Two flow versions side by side, changed lines paired and highlighted, unchanged stretches folded. */
import { useMemo } from "react";
import { diffStats, sideBySide, type DiffCell } from "./side-by-side";
import styles from "./publish.module.css";

interface Props {
  leftLabel: string;
  rightLabel: string;
  left: string;
  right: string;
}

function Cell({ cell, side, kind }: { cell: DiffCell | undefined; side: "left" | "right"; kind: string }) {
  const tone = !cell ? styles.diffEmpty : kind === "same" ? "" : side === "left" ? styles.diffRemoved : styles.diffAdded;
  return (
    <>
      <td className={styles.diffLine}>{cell?.line ?? ""}</td>
      <td className={`${styles.diffText} ${tone}`}>{cell?.text ?? ""}</td>
    </>
  );
}

export function VersionDiff({ leftLabel, rightLabel, left, right }: Props) {
  const rows = useMemo(() => sideBySide(left, right), [left, right]);
  const stats = diffStats(rows);
  return (
    <div>
      <p className="muted" data-testid="diff-stats">
        {stats.added === 0 && stats.removed === 0 ? "No differences." : `${stats.removed} line(s) removed, ${stats.added} added.`}
      </p>
      <div className={styles.diffScroll}>
        <table className={styles.diff} aria-label={`Differences between ${leftLabel} and ${rightLabel}`}>
          {/* A fixed layout takes its widths from here (the header cells span two columns each). */}
          <colgroup>
            <col className={styles.diffLineCol} />
            <col />
            <col className={styles.diffLineCol} />
            <col />
          </colgroup>
          <thead>
            <tr>
              <th colSpan={2}>{leftLabel}</th>
              <th colSpan={2}>{rightLabel}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) =>
              row.kind === "fold" ? (
                <tr key={i} className={styles.diffFold}>
                  <td colSpan={4}>⋯ {row.hidden} unchanged line{row.hidden === 1 ? "" : "s"}</td>
                </tr>
              ) : (
                <tr key={i} data-kind={row.kind}>
                  <Cell cell={row.left} side="left" kind={row.kind} />
                  <Cell cell={row.right} side="right" kind={row.kind} />
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
