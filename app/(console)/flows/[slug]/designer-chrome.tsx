"use client";

/** The designer's top bar wired to the server: autosave (with the conflict banner) and publishing. */
import type { DesignerApi } from "@/app/components/designer/designer-workspace";
import { ConflictBanner } from "@/app/components/designer/publish/conflict-banner";
import { DesignerTopBar } from "@/app/components/designer/publish/designer-top-bar";
import { useDraftAutosave } from "@/app/components/designer/publish/use-draft-autosave";
import { useCan } from "@/app/lib/use-can";
import type { DraftState } from "./draft-state";

interface Props {
  api: DesignerApi;
  draft: DraftState;
  readOnly: boolean;
  onReload: () => Promise<void>;
}

export function DesignerChrome({ api, draft, readOnly, onReload }: Props) {
  const canPublish = useCan("flows.publish");
  const autosave = useDraftAutosave({ flow: api.state.flow, initialRevision: draft.draftRevision, enabled: !readOnly });
  return (
    <>
      <DesignerTopBar
        flow={api.state.flow}
        problems={api.problems}
        publishedVersion={draft.publishedVersion}
        latestVersion={draft.latestVersion}
        active={draft.active}
        autosave={autosave}
        canPublish={canPublish}
        onDraftReplaced={() => void onReload()}
      />
      {autosave.state.kind === "conflict" ? (
        <div style={{ flexBasis: "100%" }}>
          <ConflictBanner message={autosave.state.message} canOverwrite={!readOnly} onLoadTheirs={() => void onReload()} onOverwrite={() => void autosave.overwrite().catch(() => undefined)} />
        </div>
      ) : null}
    </>
  );
}
