"use client";

/** A node's result in the last test run: status, duration, error, input and output. */
import type { NodeRunView } from "../run-view";
import styles from "./inspector.module.css";

const show = (value: unknown) => (value === undefined ? "—" : JSON.stringify(value, null, 2));

export function RunDetails({ run }: { run: NodeRunView | undefined }) {
  if (!run) return <p className="muted">Run a test to see this node&apos;s input and output.</p>;
  return (
    <div className={styles.run} data-testid="node-run-details">
      <p>
        <span className={`${styles.runStatus} ${styles[`run_${run.status}`]}`}>{run.status}</span>
        {run.durationMs !== undefined ? <span className="muted"> in {run.durationMs < 1 ? "<1" : Math.round(run.durationMs)} ms</span> : null}
      </p>
      {run.note ? <p className="muted">{run.note}</p> : null}
      {run.error ? (
        <p className={styles.fieldError}>
          <code>{run.error.code}</code> {run.error.message}
        </p>
      ) : null}
      <h4>Input</h4>
      <pre className={styles.preview}>{show(run.input)}</pre>
      <h4>Output</h4>
      <pre className={styles.preview}>{show(run.output)}</pre>
    </div>
  );
}
