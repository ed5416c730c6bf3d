"use client";

/**
 * The designer's top bar: where you are, the flow's state, the draft's save state and the
 * publishing actions (versions, endpoint, export, publish). Publishing first saves the draft, then
 * publishes exactly that revision. A rollback replaces the draft on the server too, so closing the
 * versions dialog after one reloads the designer with it.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRef, useState } from "react";
import type { FlowFile } from "@/flows/format";
import { serializeFlow } from "@/flows/format";
import type { GraphError } from "@/flows/validate-graph";
import { useTRPC } from "@/app/lib/trpc";
import { EndpointDialog } from "./endpoint-dialog";
import { PublishDialog } from "./publish-dialog";
import { SaveStatus } from "./save-status";
import type { DraftAutosave } from "./use-draft-autosave";
import { VersionsDialog } from "./versions-dialog";
import styles from "./publish.module.css";

interface Props {
  flow: FlowFile;
  problems: GraphError[];
  publishedVersion: number | null;
  latestVersion: number;
  active: boolean;
  autosave: DraftAutosave;
  canPublish: boolean;
  /** Reloads the designer with the server's draft (after a rollback replaced it). */
  onDraftReplaced: () => void;
  /** Extra controls from the page (the test panel toggle). */
  extra?: React.ReactNode;
}

export function downloadFlowFile(fileName: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.click();
  URL.revokeObjectURL(url);
}

export function DesignerTopBar({ flow, problems, publishedVersion, latestVersion, active, autosave, canPublish, onDraftReplaced, extra }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<"publish" | "versions" | "endpoint" | null>(null);
  const [publishError, setPublishError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const rolledBack = useRef(false);
  const publish = useMutation(trpc.flows.publish.mutationOptions());
  const setActive = useMutation(
    trpc.flows.setActive.mutationOptions({
      onSuccess: (result) => {
        setNotice(result.active ? "Activated: the published version runs again." : "Deactivated: the endpoint answers 404 and triggers stay silent.");
        void queryClient.invalidateQueries({ queryKey: trpc.flows.get.queryKey({ slug: flow.slug }) });
        void queryClient.invalidateQueries({ queryKey: trpc.flows.list.queryKey() });
      },
      onError: (error) => setNotice(error.message),
    }),
  );
  const state = publishedVersion === null ? "not published" : active ? `v${publishedVersion} live` : `v${publishedVersion} · inactive`;

  const doPublish = async (note: string) => {
    setPublishError(null);
    try {
      const revision = await autosave.flush();
      const result = await publish.mutateAsync({ slug: flow.slug, note, expectedRevision: revision });
      setOpen(null);
      setNotice(result.unchanged ? `Nothing changed since v${result.version}.` : `Published v${result.version}.`);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.flows.get.queryKey({ slug: flow.slug }) }),
        queryClient.invalidateQueries({ queryKey: trpc.flows.versions.queryKey({ slug: flow.slug }) }),
        queryClient.invalidateQueries({ queryKey: trpc.flows.list.queryKey() }),
      ]);
    } catch (error) {
      setPublishError((error as Error).message);
    }
  };

  return (
    <div className={styles.topBar}>
      <nav className={styles.crumbs} aria-label="Breadcrumb">
        <Link href="/flows">Flows</Link> <span aria-hidden>/</span> <strong title={flow.name}>{flow.name}</strong>
      </nav>
      <span className={styles.flowState} data-testid="flow-state">
        {flow.direction} · {state}
      </span>
      <SaveStatus state={autosave.state} />
      {notice ? (
        <span className={styles.notice} role="status" data-testid="publish-notice" title={notice}>
          {notice}
        </span>
      ) : null}
      <div className={styles.topActions}>
        {extra}
        <button type="button" className={styles.secondary} onClick={() => setOpen("versions")}>
          Versions
        </button>
        {flow.direction === "incoming" ? (
          <button type="button" className={styles.secondary} onClick={() => setOpen("endpoint")}>
            Endpoint
          </button>
        ) : null}
        <button type="button" className={styles.secondary} onClick={() => downloadFlowFile(`${flow.slug}.flow.json`, serializeFlow(flow))}>
          Export
        </button>
        {canPublish && publishedVersion !== null ? (
          <button
            type="button"
            className={styles.secondary}
            disabled={setActive.isPending}
            onClick={() => {
              if (!active || window.confirm(`Deactivate “${flow.name}”? Its ${flow.direction === "incoming" ? "endpoint answers 404" : "triggers stay silent"} until it is activated again.`)) {
                setActive.mutate({ slug: flow.slug, active: !active });
              }
            }}
          >
            {active ? "Deactivate" : "Activate"}
          </button>
        ) : null}
        {canPublish ? (
          <button type="button" className={styles.primary} onClick={() => setOpen("publish")}>
            Publish…
          </button>
        ) : null}
      </div>
      {open === "publish" ? (
        <PublishDialog
          draft={flow}
          publishedVersion={publishedVersion}
          nextVersion={latestVersion + 1}
          problems={problems}
          busy={publish.isPending || autosave.state.kind === "saving"}
          error={publishError}
          onPublish={(note) => void doPublish(note)}
          onClose={() => setOpen(null)}
        />
      ) : null}
      {open === "versions" ? (
        <VersionsDialog
          slug={flow.slug}
          draft={flow}
          publishedVersion={publishedVersion}
          canPublish={canPublish}
          onRolledBack={(version) => {
            rolledBack.current = true;
            setNotice(`Rolled back: v${version} runs again.`);
          }}
          onClose={() => {
            setOpen(null);
            if (rolledBack.current) {
              rolledBack.current = false;
              onDraftReplaced();
            }
          }}
        />
      ) : null}
      {open === "endpoint" ? <EndpointDialog slug={flow.slug} published={publishedVersion !== null} active={active} onClose={() => setOpen(null)} /> : null}
    </div>
  );
}
