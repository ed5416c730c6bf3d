"use client";

/**
 * Shown when someone else saved this draft after it was opened here: nothing is overwritten until
 * the user chooses to load their version or to replace it with this one.
 */
import styles from "./publish.module.css";

interface Props {
  message: string;
  onLoadTheirs: () => void;
  onOverwrite: () => void;
  canOverwrite: boolean;
}

export function ConflictBanner({ message, onLoadTheirs, onOverwrite, canOverwrite }: Props) {
  return (
    <div className={styles.conflict} role="alert" data-testid="draft-conflict">
      <strong>Someone else changed this draft.</strong> <span>{message}</span>
      <div className={styles.actions}>
        <button type="button" className={styles.secondary} onClick={onLoadTheirs}>
          Load their version
        </button>
        {canOverwrite ? (
          <button type="button" className={styles.danger} onClick={onOverwrite}>
            Overwrite with mine
          </button>
        ) : null}
      </div>
    </div>
  );
}
