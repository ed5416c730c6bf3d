"use client";

/** The testing drawer under the canvas: MAPPER's TestPanel over the workspace's draft and run result. */
import { useState } from "react";
import type { DesignerApi } from "@/app/components/designer/designer-workspace";
import { TestPanel } from "@/app/components/designer/testing/test-panel";
import styles from "./test-drawer.module.css";

/**
 * Once the inspector shows the node, brings the field into view and makes it blink (a mapper target)
 * or focuses it (a field of the generated form), so "Show" on an issue lands on the field it is about.
 */
function highlightField(nodeId: string, field: string) {
  let tries = 0;
  const look = () => {
    const input = document.getElementById(`cfg-${nodeId}-${field.split(".").join("-")}`);
    if (input) {
      input.scrollIntoView({ block: "center" });
      input.focus();
      return;
    }
    const row = document.querySelector<HTMLElement>(`[aria-label="Inspector"] [data-target="${CSS.escape(field)}"]`);
    if (!row) {
      if (++tries < 30) requestAnimationFrame(look);
      return;
    }
    row.scrollIntoView({ block: "center", behavior: "smooth" });
    row.setAttribute("data-highlight", "true");
    window.setTimeout(() => row.removeAttribute("data-highlight"), 2000);
  };
  requestAnimationFrame(look);
}

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
          onShowIssue={(issue) => {
            dispatch({ type: "select", ids: [issue.nodeId] });
            highlightField(issue.nodeId, issue.field);
          }}
        />
      ) : null}
    </div>
  );
}
