"use client";

/**
 * The designer's workspace: palette | canvas | inspector, over one designer-state reducer. It knows
 * nothing about the server: the page passes slots for its top bar (saving, publishing), the bottom
 * drawer (testing) and special inspectors (the visual mapper), each given the same DesignerApi.
 * Editors laid out as tables or columns (the mapper, the rules table) open as a wide sheet over the
 * canvas instead of squeezing it (issue 17: the canvas was crushed to ~340 px); the canvas keeps its
 * size and zoom, and the node being edited is panned into the part the sheet leaves visible.
 */
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { useCallback, useDeferredValue, useEffect, useMemo, useReducer, useRef, type MouseEvent, type ReactNode } from "react";
import { entityCatalog } from "@/flows/erp/entities";
import type { FlowFile, FlowNode } from "@/flows/format";
import { getNodeDefinition } from "@/flows/nodes/registry";
import { validateGraph, type GraphError } from "@/flows/validate-graph";
import { autoLayout, NODE_HEIGHT, NODE_WIDTH } from "./canvas/auto-layout";
import { problemsByNode } from "./canvas/canvas-model";
import { CanvasToolbar } from "./canvas/canvas-toolbar";
import { FIT_VIEW, fitPadding } from "./canvas/fit-view";
import { FlowCanvas } from "./canvas/flow-canvas";
import { freeSpot } from "./canvas/free-spot";
import { addNode, copyNodes, pasteNodes, removeNodes, updateNode, type GraphClipboard } from "./canvas/graph-edits";
import { Palette } from "./canvas/palette";
import { useDesignerKeys } from "./canvas/use-designer-keys";
import { usePaletteRail } from "./canvas/use-palette-rail";
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
  const { getViewport, setViewport, getInternalNode } = useReactFlow();
  const [paletteRail, setPaletteRail] = usePaletteRail();

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

  // Click-to-add: beside the selected node (where the next step of a flow goes), else in the middle of
  // the view; in either case in free space, never on top of another card.
  const addAtCentre = useCallback(
    (type: string) => {
      const { x, y, zoom } = getViewport();
      const canvas = document.querySelector("[data-testid=canvas]")?.getBoundingClientRect();
      const anchor = selection.length === 1 ? flow.nodes.find((n) => n.id === selection[0]) : undefined;
      const preferred = anchor
        ? { x: anchor.position.x + NODE_WIDTH + 48, y: anchor.position.y }
        : { x: ((canvas?.width ?? 800) / 2 - x) / zoom - NODE_WIDTH / 2, y: ((canvas?.height ?? 500) / 2 - y) / zoom - NODE_HEIGHT / 2 };
      const occupied = flow.nodes.map((n) => {
        const measured = getInternalNode(n.id)?.measured;
        return { ...n.position, width: measured?.width ?? NODE_WIDTH, height: measured?.height ?? NODE_HEIGHT };
      });
      const spot = freeSpot(occupied, preferred, { width: NODE_WIDTH, height: NODE_HEIGHT });
      const { flow: next, id } = addNode(flow, type, spot);
      edit(next);
      select([id]);
    },
    [edit, flow, getInternalNode, getViewport, select, selection],
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

  // The sheet covers the canvas's right part: bring the node being edited into the part left visible.
  const sheet = useRef<HTMLElement>(null);
  const canvasArea = useRef<HTMLDivElement>(null);
  const selectedId = selected?.id;
  // The sheet stops above the test drawer, whose Dry run button and issue links stay in reach:
  // the drawer's height is published as --drawer-height on the body.
  const body = useRef<HTMLDivElement>(null);
  const drawer = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = drawer.current;
    if (!element) return;
    const observer = new ResizeObserver(() => body.current?.style.setProperty("--drawer-height", `${element.offsetHeight}px`));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    if (!wideInspector || !selectedId) return;
    // The palette's rail resizes the canvas, which refits it a frame or two later (React Flow queues
    // fitView): wait until the viewport has held still for a few frames, then pan once if needed.
    let frame = 0;
    let still = 0;
    let last = "";
    const step = (count: number) => {
      const { x, y, zoom } = getViewport();
      const now = `${x},${y},${zoom}`;
      still = now === last ? still + 1 : 0;
      last = now;
      if (still < 3) {
        if (count < 90) frame = requestAnimationFrame(() => step(count + 1));
        return;
      }
      const node = getInternalNode(selectedId);
      const area = canvasArea.current?.getBoundingClientRect();
      const cover = sheet.current?.getBoundingClientRect();
      if (!node || !area || !cover) return;
      const width = (node.measured.width ?? NODE_WIDTH) * zoom;
      const left = area.left + x + node.internals.positionAbsolute.x * zoom;
      const visibleRight = Math.min(area.right, cover.left);
      if (left >= area.left + 8 && left + width <= visibleRight - 8) return;
      const centre = area.left + (visibleRight - area.left) / 2;
      void setViewport({ x: x + centre - (left + width / 2), y, zoom });
    };
    frame = requestAnimationFrame(() => step(0));
    return () => cancelAnimationFrame(frame);
  }, [wideInspector, selectedId, getInternalNode, getViewport, setViewport]);

  // "Zoom to fit" with the sheet open fits the flow into the part of the canvas the sheet leaves visible.
  const canvasWrap = useRef<HTMLDivElement>(null);
  const fitPaddingNow = useCallback(() => {
    const area = canvasWrap.current?.getBoundingClientRect();
    const cover = sheet.current?.getBoundingClientRect();
    if (!area) return FIT_VIEW.padding;
    return fitPadding(area, cover ? area.right - cover.left : 0);
  }, []);

  return (
    <div className={styles.designer}>
      {/* The short way to the canvas by keyboard: past the top bar and the palette's buttons. */}
      <a href="#flow-canvas" className="skip-link" onClick={focusCanvas}>
        Skip to canvas
      </a>
      <div className={styles.topBar}>{top?.(api)}</div>
      <div ref={body} className={[styles.body, paletteRail || wideInspector ? styles.bodyRail : "", wideInspector ? styles.bodyWide : ""].join(" ")}>
        <aside className={styles.left}>
          <button
            type="button"
            className={styles.railToggle}
            aria-pressed={paletteRail}
            aria-label={paletteRail ? "Show node names in the palette" : "Shrink the palette to icons"}
            title={paletteRail ? "Show node names" : "Shrink to icons"}
            onClick={() => setPaletteRail(!paletteRail)}
          >
            <span aria-hidden>{paletteRail || wideInspector ? "»" : "«"}</span>
          </button>
          <Palette direction={flow.direction} disabled={readOnly} onAdd={addAtCentre} compact={paletteRail || wideInspector} />
        </aside>
        <div className={styles.centre} ref={canvasArea}>
          <div ref={canvasWrap} className={styles.canvasWrap} onPointerDownCapture={onPointerDownCapture}>
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
                fitPadding={fitPaddingNow}
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
          {bottom ? (
            <div className={styles.bottom} ref={drawer}>
              {bottom(api)}
            </div>
          ) : null}
        </div>
        <aside ref={sheet} className={`${styles.right} ${wideInspector ? styles.rightWide : ""}`} aria-label="Inspector" data-sheet={wideInspector ? "true" : undefined}>
          {wideInspector ? (
            <button type="button" className={styles.sheetClose} onClick={() => select([])} aria-label="Close the editor" title="Close the editor (back to the flow settings)">
              ✕
            </button>
          ) : null}
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
