"use client";

/**
 * A node on the canvas: icon, name, one-line config summary, a badge when its config has problems
 * (live graph validation) and the last test run's result. Memoised: React Flow re-renders a card only
 * when its data object changes, and canvas-model keeps data stable for unchanged nodes. Handles take
 * keyboard focus: Enter on an output, then Enter on another node's input connects them (React Flow's
 * click-to-connect).
 */
import { Handle, Position, type NodeProps } from "@xyflow/react";
import type { KeyboardEvent } from "react";
import { memo } from "react";
import { getNodeDefinition } from "@/flows/nodes/registry";
import type { CanvasNode } from "./canvas-model";
import { hasInput, outputPorts } from "./canvas-model";
import { NodeIcon } from "./node-icon";
import styles from "./canvas.module.css";

/** Words beside the marks: a colour and a glyph alone read as a dot at laptop zoom (issue 17). */
const RUN_MARK = { success: "✓ ok", error: "✕", skipped: "– skipped" } as const;

/** Enter or Space on a focused handle clicks it; kept from the node, which would take Enter as "select". */
function clickOnEnter(e: KeyboardEvent<HTMLDivElement>) {
  if (e.key !== "Enter" && e.key !== " ") return;
  e.preventDefault();
  e.stopPropagation();
  e.currentTarget.click();
}

function FlowNodeCard({ data, selected, isConnectable }: NodeProps<CanvasNode>) {
  const { node, summary, problems, run } = data;
  const definition = getNodeDefinition(node.type);
  const outputs = outputPorts(node.type);
  const invalid = problems.length > 0;
  const label = node.name || definition?.label || node.id;
  const handleKeys = isConnectable ? { tabIndex: 0, role: "button", onKeyDown: clickOnEnter } : {};
  const classes = [styles.node, selected ? styles.selected : "", invalid ? styles.invalid : "", run ? styles[`ran_${run.status}`] : ""].join(" ");
  return (
    <div className={classes} data-testid={`node-${node.id}`} data-node-type={node.type} data-run={run?.status} data-invalid={invalid || undefined}>
      {hasInput(node.type) ? <Handle type="target" position={Position.Left} id="in" className={styles.handle} aria-label={`Input of ${label}`} {...handleKeys} /> : null}
      <div className={styles.nodeIcon} data-category={definition?.category}>
        <NodeIcon name={definition?.icon} size={18} />
      </div>
      <div className={styles.nodeText}>
        <div className={styles.nodeName} title={node.name}>
          {node.name || definition?.label}
        </div>
        <div className={styles.nodeSummary} title={summary}>
          {summary}
        </div>
      </div>
      <div className={styles.badges}>
        {invalid ? (
          <span className={styles.badgeInvalid} role="img" aria-label={`${problems.length} problem(s)`} title={problems.map((p) => p.message).join("\n")}>
            !
          </span>
        ) : null}
        {run ? (
          <span className={`${styles.badgeRun} ${styles[`badge_${run.status}`]}`} data-testid={`run-badge-${node.id}`} title={run.error ? `${run.error.code}: ${run.error.message}` : run.status}>
            {RUN_MARK[run.status]}
            {run.status === "error" ? ` ${run.error?.code ?? "failed"}` : ""}
          </span>
        ) : null}
      </div>
      {outputs.map((port, i) => (
        <Handle
          key={port}
          type="source"
          position={Position.Right}
          id={port}
          className={styles.handle}
          aria-label={outputs.length > 1 ? `Output ${port} of ${label}` : `Output of ${label}`}
          {...handleKeys}
          style={outputs.length > 1 ? { top: `${((i + 1) * 100) / (outputs.length + 1)}%` } : undefined}
        >
          {outputs.length > 1 ? <span className={styles.portLabel}>{port}</span> : null}
        </Handle>
      ))}
    </div>
  );
}

export const FlowNodeView = memo(FlowNodeCard);

/** Defined at module scope, as React Flow requires, so node types are not re-registered per render. */
export const NODE_TYPES_FOR_CANVAS = { flow: FlowNodeView };
