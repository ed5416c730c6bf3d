"use client";

/** Canvas commands: undo, redo, delete, auto layout, zoom to fit. */
import { useReactFlow } from "@xyflow/react";
import { LayoutGrid, Maximize, Redo2, Trash2, Undo2 } from "lucide-react";
import styles from "../designer.module.css";
import { ZOOM_TO_FIT, type Padding } from "./fit-view";

interface Props {
  canUndo: boolean;
  canRedo: boolean;
  canDelete: boolean;
  readOnly: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onDelete: () => void;
  onLayout: () => void;
  /** The fit's padding now: it keeps the flow out from under the inspector sheet when one is open. */
  fitPadding: () => Padding;
}

export function CanvasToolbar({ canUndo, canRedo, canDelete, readOnly, onUndo, onRedo, onDelete, onLayout, fitPadding }: Props) {
  const { fitView } = useReactFlow();
  const fit = () => void fitView({ ...ZOOM_TO_FIT, padding: fitPadding() });
  return (
    <div className={styles.toolGroup} role="toolbar" aria-label="Canvas">
      <button type="button" className={styles.tool} onClick={onUndo} disabled={!canUndo || readOnly} title="Undo (Ctrl+Z)" aria-label="Undo">
        <Undo2 size={16} />
      </button>
      <button type="button" className={styles.tool} onClick={onRedo} disabled={!canRedo || readOnly} title="Redo (Ctrl+Shift+Z)" aria-label="Redo">
        <Redo2 size={16} />
      </button>
      <button type="button" className={styles.tool} onClick={onDelete} disabled={!canDelete || readOnly} title="Delete selected (Delete)" aria-label="Delete selected">
        <Trash2 size={16} />
      </button>
      <button
        type="button"
        className={styles.tool}
        disabled={readOnly}
        onClick={() => {
          onLayout();
          // After React Flow has the new positions.
          requestAnimationFrame(fit);
        }}
        title="Arrange automatically"
        aria-label="Auto layout"
      >
        <LayoutGrid size={16} />
      </button>
      <button type="button" className={styles.tool} onClick={fit} title="Zoom to fit" aria-label="Zoom to fit">
        <Maximize size={16} />
      </button>
    </div>
  );
}
