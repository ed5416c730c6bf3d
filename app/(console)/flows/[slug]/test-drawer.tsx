"use client";

/** The testing drawer under the canvas: MAPPER's TestPanel over the workspace's draft and run result. */
import { useState } from "react";
import type { DesignerApi } from "@/app/components/designer/designer-workspace";
import { TestPanel } from "@/app/components/designer/testing/test-panel";
import styles from "./test-drawer.module.css";

export function TestDrawer({ api }: { api: DesignerApi }) {
  const [open, setOpen] = useState(true);
  const { state, dispatch, edit } = api;
  return (
    <div className={styles.drawer}>
      <button type="button" className={styles.toggle} aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {open ? "▾" : "▸"} Test on samples
        {state.lastRun ? <span className={styles.last}>last run: {state.lastRun.status}</span> : null}
      </button>
      {open ? (
        <TestPanel
          flow={state.flow}
          onFlowChange={(flow) => edit(flow, "samples")}
          currentSample={state.currentSample}
          onSelectSample={(name) => dispatch({ type: "selectSample", name })}
          onResult={(result) => dispatch({ type: "runResult", result })}
        />
      ) : null}
    </div>
  );
}
