"use client";

/** Create a flow: blank (incoming or outgoing) or from a shipped example, with its name and slug. */
import { useState } from "react";
import { exampleFlowSources } from "@/flows/examples";
import { Modal } from "@/app/components/designer/publish/modal";
import { DialogFooter, SLUG_PATTERN, SLUG_TITLE } from "./dialog-parts";
import styles from "./flows-list.module.css";

export type NewFlowRequest =
  | { kind: "blank"; direction: "incoming" | "outgoing"; name: string; slug: string }
  | { kind: "example"; example: string; name: string; slug: string };

const EXAMPLES = Object.entries(exampleFlowSources).map(([slug, source]) => {
  const s = source as { name: string; direction: string };
  return { slug, name: s.name, direction: s.direction };
});

/** "Vendor onboarding (v2)" → "vendor-onboarding-v2". */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);
}

interface Props {
  busy: boolean;
  error: string | null;
  onCreate: (request: NewFlowRequest) => void;
  onClose: () => void;
}

export function NewFlowDialog({ busy, error, onCreate, onClose }: Props) {
  const [kind, setKind] = useState<"blank" | "example">("blank");
  const [direction, setDirection] = useState<"incoming" | "outgoing">("incoming");
  const [example, setExample] = useState(EXAMPLES[0]!.slug);
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const effectiveSlug = slugEdited ? slug : slugify(name);

  return (
    <Modal title="New flow" onClose={onClose}>
      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          onCreate(kind === "blank" ? { kind, direction, name: name.trim(), slug: effectiveSlug } : { kind, example, name: name.trim(), slug: effectiveSlug });
        }}
      >
        <div className={styles.choices}>
          <button type="button" className={styles.choice} aria-pressed={kind === "blank"} onClick={() => setKind("blank")}>
            Blank canvas<small>Start from nothing and drag nodes from the palette.</small>
          </button>
          <button type="button" className={styles.choice} aria-pressed={kind === "example"} onClick={() => setKind("example")}>
            From an example<small>Copy a shipped integration and adapt it.</small>
          </button>
        </div>
        {kind === "blank" ? (
          <label>
            Direction
            <select value={direction} onChange={(e) => setDirection(e.target.value as "incoming" | "outgoing")}>
              <option value="incoming">Incoming — an external system calls the ERP</option>
              <option value="outgoing">Outgoing — the ERP calls an external system</option>
            </select>
          </label>
        ) : (
          <label>
            Example
            <select value={example} onChange={(e) => setExample(e.target.value)}>
              {EXAMPLES.map((x) => (
                <option key={x.slug} value={x.slug}>
                  {x.name} ({x.direction})
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Name
          <input required autoFocus value={name} placeholder="Vendor onboarding" onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Slug <span className={styles.hint}>used in the endpoint URL: …/incoming/{effectiveSlug || "slug"}</span>
          <input
            required
            pattern={SLUG_PATTERN}
            title={SLUG_TITLE}
            value={effectiveSlug}
            onChange={(e) => {
              setSlugEdited(true);
              setSlug(e.target.value);
            }}
          />
        </label>
        <DialogFooter error={error} busy={busy} busyLabel="Creating…" label="Create and open" disabled={name.trim() === "" || effectiveSlug === ""} onClose={onClose} />
      </form>
    </Modal>
  );
}
