"use client";

/**
 * Import a flow file (*.flow.json): checked in the browser first, so a broken file is explained
 * line by line before anything is sent. A flow whose slug exists can replace that flow's draft
 * (its published versions stay) only when the user says so.
 */
import { useState } from "react";
import { safeParseFlow, type FlowFile } from "@/flows/format";
import { Modal } from "@/app/components/designer/publish/modal";
import styles from "./flows-list.module.css";

interface Props {
  existingSlugs: string[];
  busy: boolean;
  error: string | null;
  onImport: (flow: FlowFile, replaceDraft: boolean) => void;
  onClose: () => void;
}

export function ImportDialog({ existingSlugs, busy, error, onImport, onClose }: Props) {
  const [flow, setFlow] = useState<FlowFile | null>(null);
  const [issues, setIssues] = useState<string[]>([]);
  const [replace, setReplace] = useState(false);
  const exists = flow !== null && existingSlugs.includes(flow.slug);

  return (
    <Modal title="Import a flow file" onClose={onClose}>
      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          if (flow) onImport(flow, replace);
        }}
      >
        <label>
          Flow file
          <input
            type="file"
            accept=".json,application/json"
            aria-label="Flow file"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              setFlow(null);
              setIssues([]);
              if (!file) return;
              const parsed = safeParseFlow(await file.text());
              if (parsed.ok) setFlow(parsed.flow);
              else setIssues(parsed.issues.map((i) => `${i.path.join(".") || "(file)"}: ${i.message}`));
            }}
          />
        </label>
        {issues.length > 0 ? (
          <div className={styles.error} role="alert">
            This is not a valid flow file:
            <ul>
              {issues.slice(0, 8).map((i) => (
                <li key={i}>{i}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {flow ? (
          <p>
            <strong>{flow.name}</strong> <span className="muted">({flow.direction}, {flow.nodes.length} nodes, slug {flow.slug})</span>
          </p>
        ) : null}
        {exists ? (
          <label style={{ flexDirection: "row", alignItems: "center", fontWeight: 400 }}>
            <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} /> A flow “{flow!.slug}” exists: replace its draft with this file
          </label>
        ) : null}
        {error ? (
          <p className={styles.error} role="alert">
            {error}
          </p>
        ) : null}
        <div className={styles.headerActions} style={{ justifyContent: "flex-end" }}>
          <button type="button" className={styles.secondary} onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={styles.primary} disabled={busy || !flow || (exists && !replace)}>
            {busy ? "Importing…" : "Import"}
          </button>
        </div>
      </form>
    </Modal>
  );
}
