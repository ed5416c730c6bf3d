"use client";

/** Duplicate a flow under a new name and slug (its draft is copied; versions are not). */
import { useState } from "react";
import { Modal } from "@/app/components/designer/publish/modal";
import type { FlowListRow } from "./flow-row";
import { DialogFooter, SLUG_PATTERN, SLUG_TITLE } from "./dialog-parts";
import styles from "./flows-list.module.css";

interface Props {
  source: FlowListRow;
  busy: boolean;
  error: string | null;
  onDuplicate: (to: { name: string; slug: string }) => void;
  onClose: () => void;
}

export function DuplicateDialog({ source, busy, error, onDuplicate, onClose }: Props) {
  const [name, setName] = useState(`${source.name} (copy)`);
  const [slug, setSlug] = useState(`${source.slug}-copy`);
  return (
    <Modal title={`Duplicate “${source.name}”`} onClose={onClose}>
      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          onDuplicate({ name: name.trim(), slug: slug.trim() });
        }}
      >
        <label>
          Name
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Slug
          <input required pattern={SLUG_PATTERN} title={SLUG_TITLE} value={slug} onChange={(e) => setSlug(e.target.value)} />
        </label>
        <DialogFooter error={error} busy={busy} busyLabel="Duplicating…" label="Duplicate and open" onClose={onClose} />
      </form>
    </Modal>
  );
}
