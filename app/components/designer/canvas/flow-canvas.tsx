"use client";

/**
 * The React Flow canvas over the draft. The flow file is the one source of truth: nodes and edges
 * are derived from it, and every user gesture becomes one FlowFile edit (a drag commits on release;
 * until then its positions live in a local overlay so dragging stays smooth). Measured sizes are kept
 * across derivations so React Flow never has to re-measure an unchanged node.
 */
import {
  Background,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type OnDelete,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useCallback, useLayoutEffect, useMemo, useRef, useState, type DragEvent, type RefObject } from "react";
import type { FlowFile } from "@/flows/format";
import type { GraphError } from "@/flows/validate-graph";
import type { NodeRunView } from "../run-view";
import { toCanvasEdges, toCanvasNodes, hasInput, type CanvasNode } from "./canvas-model";
import { FIT_VIEW } from "./fit-view";
import { NODE_TYPES_FOR_CANVAS } from "./flow-node";
import { addNode, connect, moveNodes, removeEdges, removeNodes } from "./graph-edits";
import { PALETTE_MIME } from "./palette";
import { useHealHandleBounds } from "./use-heal-handle-bounds";
import { useViewFollowsResize } from "./view-after-resize";
import styles from "./canvas.module.css";

interface Props {
  flow: FlowFile;
  selection: string[];
  problems: Map<string, GraphError[]>;
  run: Record<string, NodeRunView> | undefined;
  readOnly: boolean;
  onEdit: (flow: FlowFile, coalesce?: string) => void;
  onSelect: (ids: string[]) => void;
  /** Called once every node has been measured (the bench's "all nodes rendered"). */
  onRendered?: () => void;
}

type Size = { width: number; height: number };

/** Smaller than React Flow's 200 × 150: it sits in the corner of a laptop-sized canvas, beside the flow. */
const MINIMAP_SIZE = { width: 150, height: 100 };

/**
 * Publishes the zoom as --canvas-zoom on the canvas, so focus rings and run badges (canvas.module.css)
 * keep a legible size on screen at any zoom. Its own component: only it re-renders while zooming.
 */
function ZoomVariable({ target }: { target: RefObject<HTMLDivElement | null> }) {
  const zoom = useStore((s) => s.transform[2]);
  useLayoutEffect(() => {
    target.current?.style.setProperty("--canvas-zoom", String(zoom));
  }, [target, zoom]);
  return null;
}

export function FlowCanvas({ flow, selection, problems, run, readOnly, onEdit, onSelect, onRendered }: Props) {
  const { screenToFlowPosition } = useReactFlow();
  const [drag, setDrag] = useState<Map<string, { x: number; y: number }>>(new Map());
  const [measured, setMeasured] = useState<Map<string, Size>>(new Map());
  const [selectedEdges, setSelectedEdges] = useState<Set<string>>(new Set());
  const previous = useRef(new Map<string, CanvasNode>());
  const rendered = useRef(false);
  const container = useRef<HTMLDivElement>(null);
  useViewFollowsResize(container, FIT_VIEW);
  useHealHandleBounds();

  const selectionSet = useMemo(() => new Set(selection), [selection]);
  const nodes = useMemo(() => {
    const next = toCanvasNodes(flow, problems, run, selectionSet).map((n) => {
      const old = previous.current.get(n.id);
      const position = drag.get(n.id) ?? n.position;
      const size = measured.get(n.id);
      if (
        old &&
        old.data.node === n.data.node &&
        old.data.problems === n.data.problems &&
        old.data.run === n.data.run &&
        old.selected === n.selected &&
        old.position === position &&
        old.measured === size
      ) {
        return old;
      }
      return { ...n, position, measured: size };
    });
    previous.current = new Map(next.map((n) => [n.id, n]));
    return next;
  }, [flow, problems, run, selectionSet, drag, measured]);

  const edges = useMemo(
    () => toCanvasEdges(flow, run).map((e) => (selectedEdges.has(e.id) ? { ...e, selected: true } : e)),
    [flow, run, selectedEdges],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      let sizes: Map<string, Size> | undefined;
      let moved: Map<string, { x: number; y: number }> | undefined;
      let picked: Set<string> | undefined;
      for (const change of changes) {
        if (change.type === "dimensions" && change.dimensions) {
          sizes ??= new Map(measured);
          sizes.set(change.id, change.dimensions);
        } else if (change.type === "position" && change.position && !readOnly) {
          moved ??= new Map(drag);
          moved.set(change.id, change.position);
        } else if (change.type === "select") {
          picked ??= new Set(selectionSet);
          if (change.selected) picked.add(change.id);
          else picked.delete(change.id);
        }
      }
      if (sizes) {
        setMeasured(sizes);
        if (!rendered.current && onRendered && flow.nodes.every((n) => sizes!.has(n.id))) {
          rendered.current = true;
          onRendered();
        }
      }
      if (moved) setDrag(moved);
      if (picked) onSelect([...picked]);
    },
    [measured, drag, selectionSet, readOnly, onSelect, onRendered, flow.nodes],
  );

  const onNodeDragStop = useCallback(() => {
    if (drag.size > 0) onEdit(moveNodes(flow, drag));
    setDrag(new Map());
  }, [drag, flow, onEdit]);

  const onEdgesChange = useCallback((changes: EdgeChange<Edge>[]) => {
    setSelectedEdges((current) => {
      let next: Set<string> | undefined;
      for (const change of changes) {
        if (change.type !== "select") continue;
        next ??= new Set(current);
        if (change.selected) next.add(change.id);
        else next.delete(change.id);
      }
      return next ?? current;
    });
  }, []);

  const onDelete: OnDelete<CanvasNode, Edge> = useCallback(
    ({ nodes: goneNodes, edges: goneEdges }) => {
      if (readOnly) return;
      const next = removeEdges(removeNodes(flow, goneNodes.map((n) => n.id)), goneEdges.map((e) => e.id));
      if (next !== flow) onEdit(next);
      setSelectedEdges(new Set());
    },
    [flow, onEdit, readOnly],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (!readOnly) onEdit(connect(flow, c.source, c.sourceHandle, c.target));
    },
    [flow, onEdit, readOnly],
  );

  const isValidConnection = useCallback(
    (c: Connection | Edge) => {
      if (c.source === c.target) return false;
      const target = flow.nodes.find((n) => n.id === c.target);
      return target !== undefined && hasInput(target.type);
    },
    [flow.nodes],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(PALETTE_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
    }
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(PALETTE_MIME);
      if (!type || readOnly) return;
      e.preventDefault();
      // Centre the card under the pointer.
      const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const { flow: next, id } = addNode(flow, type, { x: p.x - 110, y: p.y - 30 });
      onEdit(next);
      onSelect([id]);
    },
    [flow, onEdit, onSelect, readOnly, screenToFlowPosition],
  );

  return (
    <div ref={container} id="flow-canvas" tabIndex={-1} className={styles.canvas} onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
      <ReactFlow<CanvasNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES_FOR_CANVAS}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        onDelete={onDelete}
        isValidConnection={isValidConnection}
        onPaneClick={() => onSelect([])}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={readOnly ? null : ["Delete", "Backspace"]}
        multiSelectionKeyCode={["Shift", "Meta", "Control"]}
        fitView
        fitViewOptions={FIT_VIEW}
        minZoom={0.1}
        onlyRenderVisibleElements={false}
        proOptions={{ hideAttribution: true }}
      >
        <ZoomVariable target={container} />
        <Background gap={20} size={1} />
        <MiniMap pannable zoomable ariaLabel="Minimap" style={MINIMAP_SIZE} nodeColor={(n) => ((n as CanvasNode).data.problems.length > 0 ? "#e57373" : "#9db4e8")} />
      </ReactFlow>
    </div>
  );
}
