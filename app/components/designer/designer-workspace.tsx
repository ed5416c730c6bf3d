"use client";

/**
 * The designer's workspace: palette | canvas | inspector, over one designer-state reducer. It knows
 * nothing about the server: the page passes slots for its top bar (saving, publishing), the bottom
 * drawer (testing) and special inspectors (the visual mapper), each given the same DesignerApi.
 */
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { useCallback, useDeferredValue, useMemo, useReducer, useRef, type MouseEvent, type ReactNode } from "react";
import { entityCatalog } from "@/flows/erp/entities";
import type { FlowFile, FlowNode } from "@/flows/format";
import { getNodeDefinition } from "@/flows/nodes/registry";
import { validateGraph, type GraphError } from "@/flows/validate-graph";
import { autoLayout } from "./canvas/auto-layout";
import { problemsByNode } from "./canvas/canvas-model";
import { CanvasToolbar } from "./canvas/canvas-toolbar";
import { FlowCanvas } from "./canvas/flow-canvas";
import { addNode, copyNodes, pasteNodes, removeNodes, updateNode, type GraphClipboard } from "./canvas/graph-edits";
import { Palette } from "./canvas/palette";
import { useDesignerKeys } from "./canvas/use-designer-keys";
import { useHeldDuringPointer } from "./canvas/use-held-during-pointer";
import { canRedo, canUndo, designerReducer, initialDesignerState, type DesignerAction, type DesignerState } from "./designer-state";
import type { PickerCatalog } from "./inspector/field-kinds";
import { FlowSettings } from "./inspector/flow-settings";
import { NodeInspector } from "./inspector/node-inspector";
import { nodeRunViews } from "./run-view";
import styles from "./designer.module.css";

export interface DesignerApi {
  state: DesignerState;
  problems: GraphError[];
  dispatch: (action: DesignerAction) => void;
  edit: (flow: FlowFile, coalesce?: string) => void;
}

interface Props {
  initialFlow: FlowFile;
  readOnly: boolean;
  catalog: PickerCatalog;
  top?: (api: DesignerApi) => ReactNode;
  bottom?: (api: DesignerApi) => ReactNode;
  /** A special config editor for a node, or undefined for the generated form. */
  nodeEditor?: (api: DesignerApi, node: FlowNode) => ReactNode | undefined;
  onRendered?: () => void;
}

export function DesignerWorkspace(props: Props) {
  return (
    <ReactFlowProvider>
      <Workspace {...props} />
    </ReactFlowProvider>
  );
}

const LOCAL_CATALOG = entityCatalog();

/** Focuses the selected node, else the first one, else the canvas itself (an empty flow). */
function focusCanvas(e: MouseEvent<HTMLAnchorElement>) {
  const canvas = document.getElementById("flow-canvas");
  const node = canvas?.querySelector<HTMLElement>(".react-flow__node.selected") ?? canvas?.querySelector<HTMLElement>(".react-flow__node");
  if (!canvas) return;
  e.preventDefault();
  (node ?? canvas).focus();
}

function Workspace({ initialFlow, readOnly, catalog, top, bottom, nodeEditor, onRendered }: Props) {
  const [state, dispatch] = useReducer(designerReducer, initialFlow, initialDesignerState);
  const { flow, selection, lastRun } = state;
  const clipboard = useRef<GraphClipboard | null>(null);
  const { getViewport } = useReactFlow();

  // Validation of a large flow must not delay typing: it follows the edits a moment behind.
  const checkedFlow = useDeferredValue(flow);
  const problems = useMemo(
    () => validateGraph(checkedFlow, { ...LOCAL_CATALOG, connections: catalog.connections, credentials: catalog.credentials }),
    [checkedFlow, catalog.connections, catalog.credentials],
  );
  const byNode = useMemo(() => problemsByNode(problems), [problems]);
  const runNodes = useMemo(() => nodeRunViews(lastRun), [lastRun]);

  const edit = useCallback((next: FlowFile, coalesce?: string) => dispatch({ type: "edit", flow: next, coalesce }), []);
  const select = useCallback((ids: string[]) => dispatch({ type: "select", ids }), []);
  const api: DesignerApi = { state, problems, dispatch, edit };

  const addAtCentre = useCallback(
    (type: string) => {
      const { x, y, zoom } = getViewport();
      const canvas = document.querySelector("[data-testid=canvas]")?.getBoundingClientRect();
      const centre = { x: ((canvas?.width ?? 800) / 2 - x) / zoom - 110, y: ((canvas?.height ?? 500) / 2 - y) / zoom - 30 };
      // Stagger repeated adds so they do not stack exactly.
      const offset = (flow.nodes.length % 5) * 24;
      const { flow: next, id } = addNode(flow, type, { x: centre.x + offset, y: centre.y + offset });
      edit(next);
      select([id]);
    },
    [edit, flow, getViewport, select],
  );

  const keyActions = useMemo(
    () => ({
      undo: () => dispatch({ type: "undo" }),
      redo: () => dispatch({ type: "redo" }),
      copy: () => {
        clipboard.current = copyNodes(flow, selection) ?? clipboard.current;
      },
      paste: () => {
        if (!clipboard.current) return;
        const { flow: next, ids } = pasteNodes(flow, clipboard.current);
        edit(next);
        select(ids);
        // A second paste lands a step further.
        clipboard.current = { ...clipboard.current, nodes: clipboard.current.nodes.map((n) => ({ ...n, position: { x: n.position.x + 40, y: n.position.y + 40 } })) };
      },
      selectAll: () => select(flow.nodes.map((n) => n.id)),
    }),
    [edit, flow, select, selection],
  );
  useDesignerKeys(keyActions, !readOnly);

  const selected = selection.length === 1 ? flow.nodes.find((n) => n.id === selection[0]) : undefined;
  const special = selected && nodeEditor ? nodeEditor(api, selected) : undefined;
  // Editors laid out as tables or columns (the mapper, the validate node's rules) get a wide inspector.
  // Held while a pointer is down on the canvas: the layout must not move under a drag that selected a node.
  const { value: wideInspector, onPointerDownCapture } = useHeldDuringPointer(Boolean(special) || (selected !== undefined && getNodeDefinition(selected.type)?.inspector.editor === "rules"));

  return (
    <div className={styles.designer}>
      {/* The short way to the canvas by keyboard: past the top bar and the palette's buttons. */}
      <a href="#flow-canvas" className="skip-link" onClick={focusCanvas}>
        Skip to canvas
      </a>
      <div className={styles.topBar}>{top?.(api)}</div>
      <div className={wideInspector ? `${styles.body} ${styles.bodyWideInspector}` : styles.body}>
        <aside className={styles.left}>
          <Palette direction={flow.direction} disabled={readOnly} onAdd={addAtCentre} compact={wideInspector} />
        </aside>
        <div className={styles.centre}>
          <div className={styles.canvasWrap} onPointerDownCapture={onPointerDownCapture}>
            <div className={styles.canvasTools}>
              <CanvasToolbar
                canUndo={canUndo(state)}
                canRedo={canRedo(state)}
                canDelete={selection.length > 0}
                readOnly={readOnly}
                onUndo={keyActions.undo}
                onRedo={keyActions.redo}
                onDelete={() => edit(removeNodes(flow, selection))}
                onLayout={() => edit(autoLayout(flow))}
              />
            </div>
            <FlowCanvas
              flow={flow}
              selection={selection}
              problems={byNode}
              run={runNodes}
              readOnly={readOnly}
              onEdit={edit}
              onSelect={select}
              onRendered={onRendered}
            />
          </div>
          {bottom ? <div className={styles.bottom}>{bottom(api)}</div> : null}
        </div>
        <aside className={`${styles.right} ${wideInspector ? styles.rightWide : ""}`} aria-label="Inspector">
          {selected ? (
            <NodeInspector
              flow={flow}
              node={selected}
              problems={byNode.get(selected.id) ?? []}
              run={runNodes?.[selected.id]}
              catalog={catalog}
              readOnly={readOnly}
              specialEditor={special}
              onNodeChange={(patch, coalesce) => edit(updateNode(flow, selected.id, patch), coalesce)}
            />
          ) : selection.length > 1 ? (
            <p className="muted">{selection.length} nodes selected. Delete, copy (Ctrl+C) or drag them together.</p>
          ) : (
            <FlowSettings flow={flow} problems={problems} readOnly={readOnly} onChange={edit} />
          )}
        </aside>
      </div>
    </div>
  );
}
