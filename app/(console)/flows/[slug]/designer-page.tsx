"use client";

/**
 * The designer for one flow: loads its draft, then hands it to the workspace with the server-backed
 * pieces plugged in — autosave with conflict warnings, publishing, the test panel and the visual
 * mapper for map nodes.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import type { FlowNode } from "@/flows/format";
import { useTRPC } from "@/app/lib/trpc";
import { useCan } from "@/app/lib/use-can";
import { DesignerWorkspace, type DesignerApi } from "@/app/components/designer/designer-workspace";
import type { DraftState } from "./draft-state";
import { DesignerChrome } from "./designer-chrome";
import { nodeEditorFor } from "./node-editors";
import { TestDrawer } from "./test-drawer";

export function DesignerPage({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const draft = useQuery({ ...trpc.flows.get.queryOptions({ slug }), refetchOnWindowFocus: false, staleTime: Infinity });
  const catalog = useQuery({ ...trpc.flows.catalog.queryOptions(), staleTime: 60_000 });
  const canEdit = useCan("flows.edit");
  // The workspace keeps its own copy of the flow; a new key remounts it with a freshly loaded draft.
  const [generation, setGeneration] = useState(0);

  if (draft.isPending) return <p className="muted">Loading the flow…</p>;
  if (draft.error) {
    return (
      <section>
        <h1>Flow not available</h1>
        <p role="alert">{draft.error.message}</p>
      </section>
    );
  }
  return (
    <LoadedDesigner
      key={`${slug}:${generation}`}
      draft={draft.data}
      readOnly={!canEdit}
      catalog={catalog.data ?? {}}
      onReloaded={() => setGeneration((g) => g + 1)}
    />
  );
}

function LoadedDesigner({ draft, readOnly, catalog, onReloaded }: { draft: DraftState; readOnly: boolean; catalog: { connections?: string[]; credentials?: string[] }; onReloaded: () => void }) {
  const queryClient = useQueryClient();
  const trpc = useTRPC();
  const initialFlow = useMemo(() => draft.flow, [draft.flow]);
  const reload = useCallback(async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.flows.get.queryKey({ slug: draft.flow.slug }) });
    onReloaded();
  }, [draft.flow.slug, onReloaded, queryClient, trpc]);
  // The masters `$lookup` reads in the mapper's live preview; until they arrive such lookups say they are empty.
  const masters = useQuery({ ...trpc.flows.previewMasters.queryOptions(), staleTime: 5 * 60_000, refetchOnWindowFocus: false });
  const nodeEditor = useCallback((api: DesignerApi, node: FlowNode) => nodeEditorFor(api, node, masters.data), [masters.data]);
  return (
    <DesignerWorkspace
      initialFlow={initialFlow}
      readOnly={readOnly}
      catalog={catalog}
      onRendered={() => document.body.setAttribute("data-designer-rendered", String(performance.now()))}
      top={(api: DesignerApi) => <DesignerChrome api={api} draft={draft} readOnly={readOnly} onReload={reload} />}
      nodeEditor={nodeEditor}
      bottom={(api: DesignerApi) => <TestDrawer api={api} />}
    />
  );
}
