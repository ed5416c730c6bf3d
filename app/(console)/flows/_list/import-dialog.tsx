"use client";

/**
 * Import a flow file (*.flow.json): checked in the browser first, so a broken file is explained
 * line by line before anything is sent. It becomes a new flow, under a name and slug the user can
 * change (a file exported from this install, whose slug is taken, is offered a free one), or, when
 * the user says so, replaces the draft of the flow with the file's slug (its published versions stay).
 */
import { useState } from "react";
import { safeParseFlow, type FlowFile } from "@/flows/format";
import { Modal } from "@/app/components/designer/publish/modal";
import { DialogFooter, SLUG_PATTERN, SLUG_TITLE } from "./dialog-parts";
import styles from "./flows-list.module.css";

interface Props {
  existingSlugs: string[];
  busy: boolean;
  error: string | null;
  onImport: (flow: FlowFile, replaceDraft: boolean, as?: { slug: string; name: string }) => void;
  onClose: () => void;
}

/** The file's slug and name when free, else `slug-2`, `name (2)` and so on. */
export function freeIdentity(flow: Pick<FlowFile, "slug" | "name">, taken: string[]): { slug: string; name: string } {
  if (!taken.includes(flow.slug)) return { slug: flow.slug, name: flow.name };
  for (let i = 2; ; i++) if (!taken.includes(`${flow.slug}-${i}`)) return { slug: `${flow.slug}-${i}`, name: `${flow.name} (${i})` };
}

export function ImportDialog({ existingSlugs, busy, error, onImport, onClose }: Props) {
  const [flow, setFlow] = useState<FlowFile | null>(null);
  const [issues, setIssues] = useState<string[]>([]);
  const [replace, setReplace] = useState(false);
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const fileSlugTaken = flow !== null && existingSlugs.includes(flow.slug);
  const slugTaken = !replace && existingSlugs.includes(slug.trim());

  return (
    <Modal title="Import a flow file" onClose={onClose}>
      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          if (!flow) return;
          if (replace) onImport(flow, true);
          else onImport(flow, false, { slug: slug.trim(), name: name.trim() });
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
              setReplace(false);
              if (!file) return;
              const parsed = safeParseFlow(await file.text());
              if (parsed.ok) {
                const identity = freeIdentity(parsed.flow, existingSlugs);
                setFlow(parsed.flow);
                setSlug(identity.slug);
                setName(identity.name);
              } else setIssues(parsed.issues.map((i) => `${i.path.join(".") || "(file)"}: ${i.message}`));
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
          <p style={{ margin: 0 }}>
            <strong>{flow.name}</strong> <span className="muted">({flow.direction}, {flow.nodes.length} nodes, slug {flow.slug})</span>
          </p>
        ) : null}
        {fileSlugTaken ? (
          <label style={{ flexDirection: "row", alignItems: "center", fontWeight: 400 }}>
            <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} /> Replace the draft of the existing flow “{flow!.slug}” instead
          </label>
        ) : null}
        {flow && !replace ? (
          <>
            <label>
              Name
              <input required value={name} onChange={(e) => setName(e.target.value)} />
            </label>
            <label>
              Slug <span className={styles.hint}>{fileSlugTaken ? `a flow “${flow.slug}” exists, so the import gets its own` : "used in the endpoint URL"}</span>
              <input
                required
                pattern={SLUG_PATTERN}
                title={SLUG_TITLE}
                value={slug}
                aria-invalid={slugTaken || undefined}
                onChange={(e) => setSlug(e.target.value)}
              />
            </label>
            {slugTaken ? (
              <p className={styles.error} role="alert">
                A flow “{slug.trim()}” exists: choose another slug, or replace its draft.
              </p>
            ) : null}
          </>
        ) : null}
        <DialogFooter error={error} busy={busy} busyLabel="Importing…" label={replace ? "Replace the draft" : "Import as a new flow"} disabled={!flow || slugTaken} onClose={onClose} />
      </form>
    </Modal>
  );
}
