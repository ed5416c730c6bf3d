"use client";

/** The versions list in a dialog, with the side-by-side diff of two picked versions and rollback. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { serializeFlow, type FlowFile } from "@/flows/format";
import { useTRPC } from "@/app/lib/trpc";
import { Modal } from "./modal";
import { useDraftMatchesLive } from "./use-draft-matches-live";
import { VersionDiff } from "./version-diff";
import { VersionsPanel, type VersionRef } from "./versions-panel";
import styles from "./publish.module.css";

interface Props {
  slug: string;
  /** The draft as edited here (may be ahead of the saved one). */
  draft: FlowFile;
  /** The version that runs (null: none); the draft row is listed only when the draft differs from it. */
  publishedVersion: number | null;
  canPublish: boolean;
  /** A rollback succeeded: that version runs and is the draft now (the server reset it). */
  onRolledBack: (version: number) => void;
  onClose: () => void;
}

const label = (ref: VersionRef) => (ref === "draft" ? "Draft" : `v${ref}`);

function useFileText(slug: string, ref: VersionRef | null, draft: FlowFile) {
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.flows.file.queryOptions({ slug, version: typeof ref === "number" ? ref : undefined }), enabled: typeof ref === "number" });
  if (ref === "draft") return serializeFlow(draft);
  return query.data?.text;
}

export function VersionsDialog({ slug, draft, publishedVersion, canPublish, onRolledBack, onClose }: Props) {
  const trpc = useTRPC();
  const draftMatchesLive = useDraftMatchesLive(draft, publishedVersion);
  const queryClient = useQueryClient();
  const versions = useQuery(trpc.flows.versions.queryOptions({ slug }));
  const [compare, setCompare] = useState<[VersionRef, VersionRef] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const rollback = useMutation(
    trpc.flows.rollback.mutationOptions({
      onSuccess: (result) => {
        setMessage(`Version ${result.version} runs again, and the draft is version ${result.version}.`);
        onRolledBack(result.version);
        void queryClient.invalidateQueries({ queryKey: trpc.flows.versions.queryKey({ slug }) });
        void queryClient.invalidateQueries({ queryKey: trpc.flows.get.queryKey({ slug }) });
        void queryClient.invalidateQueries({ queryKey: trpc.flows.list.queryKey() });
      },
      onError: (error) => setMessage(error.message),
    }),
  );
  const left = useFileText(slug, compare?.[0] ?? null, draft);
  const right = useFileText(slug, compare?.[1] ?? null, draft);

  return (
    <Modal title={compare ? `Compare ${label(compare[0])} and ${label(compare[1])}` : "Versions"} onClose={onClose} wide={compare !== null}>
      {compare ? (
        <>
          <button type="button" className={styles.secondary} onClick={() => setCompare(null)}>
            ← Back to versions
          </button>
          {left !== undefined && right !== undefined ? (
            <VersionDiff leftLabel={label(compare[0])} rightLabel={label(compare[1])} left={left} right={right} />
          ) : (
            <p className="muted">Loading…</p>
          )}
        </>
      ) : versions.isPending ? (
        <p className="muted">Loading…</p>
      ) : versions.error ? (
        <p className={styles.error}>{versions.error.message}</p>
      ) : (
        <>
          {message ? (
            <p role="status" className={styles.warning}>
              {message}
            </p>
          ) : null}
          <VersionsPanel
            versions={versions.data}
            showDraft={draftMatchesLive === false}
            canPublish={canPublish}
            busyVersion={rollback.isPending ? (rollback.variables?.version ?? null) : null}
            onRollback={(version) => rollback.mutate({ slug, version })}
            onCompare={(a, b) => setCompare([a, b])}
          />
        </>
      )}
    </Modal>
  );
}
