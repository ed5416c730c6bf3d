"use client";

/**
 * The flows list: incoming and outgoing flows with their version, state, last run and today's
 * counts; create (blank or from an example), duplicate, import and export flow files.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC, useTRPCClient } from "@/app/lib/trpc";
import { useCan } from "@/app/lib/use-can";
import { downloadFlowFile } from "@/app/components/designer/publish/designer-top-bar";
import { DuplicateDialog } from "./duplicate-dialog";
import type { FlowListRow } from "./flow-row";
import { FlowsTable } from "./flows-table";
import { ImportDialog } from "./import-dialog";
import { NewFlowDialog } from "./new-flow-dialog";
import styles from "./flows-list.module.css";

type Dialog = { kind: "new" } | { kind: "import" } | { kind: "duplicate"; row: FlowListRow } | null;

export function FlowsList() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const router = useRouter();
  const queryClient = useQueryClient();
  const canEdit = useCan("flows.edit");
  const flows = useQuery(trpc.flows.list.queryOptions());
  const [dialog, setDialog] = useState<Dialog>(null);
  const [error, setError] = useState<string | null>(null);
  const done = (slug: string) => {
    void queryClient.invalidateQueries({ queryKey: trpc.flows.list.queryKey() });
    router.push(`/flows/${slug}`);
  };
  const onError = (e: { message: string }) => setError(e.message);
  const create = useMutation(trpc.flows.create.mutationOptions({ onSuccess: (r) => done(r.slug), onError }));
  const duplicate = useMutation(trpc.flows.duplicate.mutationOptions({ onSuccess: (r) => done(r.slug), onError }));
  const importFlow = useMutation(trpc.flows.import.mutationOptions({ onSuccess: (r) => done(r.slug), onError }));
  const open = (next: Dialog) => {
    setError(null);
    setDialog(next);
  };
  const exportRow = async (row: FlowListRow) => {
    const file = await client.flows.file.query({ slug: row.slug });
    downloadFlowFile(file.fileName, file.text);
  };
  const rows = flows.data ?? [];

  return (
    <section>
      <div className={styles.header}>
        <div>
          <h1>Flows</h1>
          <p className="muted">Incoming and outgoing integrations, drawn as node graphs. Endpoints and jobs always run the published version.</p>
        </div>
        {canEdit ? (
          <div className={styles.headerActions}>
            <button type="button" className={styles.secondary} onClick={() => open({ kind: "import" })}>
              Import file…
            </button>
            <button type="button" className={styles.primary} onClick={() => open({ kind: "new" })}>
              New flow
            </button>
          </div>
        ) : null}
      </div>
      {flows.isPending ? (
        <p className="muted">Loading…</p>
      ) : flows.error ? (
        <p role="alert">{flows.error.message}</p>
      ) : (
        <>
          <FlowsTable title="Incoming flows" rows={rows.filter((r) => r.direction === "incoming")} canEdit={canEdit} onDuplicate={(row) => open({ kind: "duplicate", row })} onExport={(row) => void exportRow(row)} />
          <FlowsTable title="Outgoing flows" rows={rows.filter((r) => r.direction === "outgoing")} canEdit={canEdit} onDuplicate={(row) => open({ kind: "duplicate", row })} onExport={(row) => void exportRow(row)} />
        </>
      )}
      {dialog?.kind === "new" ? <NewFlowDialog busy={create.isPending} error={error} onCreate={(request) => create.mutate(request)} onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === "duplicate" ? (
        <DuplicateDialog source={dialog.row} busy={duplicate.isPending} error={error} onDuplicate={(to) => duplicate.mutate({ from: dialog.row.slug, ...to })} onClose={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === "import" ? (
        <ImportDialog
          existingSlugs={rows.map((r) => r.slug)}
          busy={importFlow.isPending}
          error={error}
          onImport={(flow, replaceDraft, as) => importFlow.mutate({ flow, replaceDraft, ...(as ? { as } : {}) })}
          onClose={() => setDialog(null)}
        />
      ) : null}
    </section>
  );
}
