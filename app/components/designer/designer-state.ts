/**
 * The designer page's state in one reducer: the draft flow being edited, the selection, undo/redo
 * history, the current sample and the last dry-run result. Pure (no React), so it is unit-tested and
 * every panel edits the draft the same way: by dispatching `edit` with the next flow.
 *
 * History keeps whole flow snapshots: flows are small (a 150-node flow is ~100 KB) and structural
 * sharing means unchanged nodes are shared between snapshots. Consecutive edits with the same
 * `coalesce` key (typing in one field, dragging one node) make one undo step, as editors do.
 */
import type { FlowFile } from "@/flows/format";
import type { RunViewWithFields } from "./run-view";

export const HISTORY_LIMIT = 100;

export interface DesignerState {
  flow: FlowFile;
  /** Selected node ids (the inspector shows the first). */
  selection: string[];
  past: FlowFile[];
  future: FlowFile[];
  /** The coalesce key of the last edit; an edit with the same key replaces that history step. */
  lastCoalesce: string | null;
  currentSample: string | undefined;
  lastRun: RunViewWithFields | null;
}

export type DesignerAction =
  | { type: "edit"; flow: FlowFile; coalesce?: string }
  /** Replaces the draft without history (loading, or another editor's copy after a conflict). */
  | { type: "reset"; flow: FlowFile }
  | { type: "undo" }
  | { type: "redo" }
  | { type: "select"; ids: string[] }
  | { type: "selectSample"; name: string | undefined }
  | { type: "runResult"; result: RunViewWithFields | null };

export function initialDesignerState(flow: FlowFile): DesignerState {
  return {
    flow,
    selection: [],
    past: [],
    future: [],
    lastCoalesce: null,
    currentSample: flow.samples[0]?.name,
    lastRun: null,
  };
}

/** Drops selected ids that no longer exist after an undo/redo. */
function keepExisting(selection: string[], flow: FlowFile): string[] {
  const ids = new Set(flow.nodes.map((n) => n.id));
  return selection.filter((id) => ids.has(id));
}

export function designerReducer(state: DesignerState, action: DesignerAction): DesignerState {
  switch (action.type) {
    case "edit": {
      if (action.flow === state.flow) return state;
      const coalesce = action.coalesce ?? null;
      const merge = coalesce !== null && coalesce === state.lastCoalesce && state.past.length > 0;
      const past = merge ? state.past : [...state.past, state.flow].slice(-HISTORY_LIMIT);
      return { ...state, flow: action.flow, past, future: [], lastCoalesce: coalesce, selection: keepExisting(state.selection, action.flow) };
    }
    case "reset":
      return { ...state, flow: action.flow, past: [], future: [], lastCoalesce: null, selection: keepExisting(state.selection, action.flow) };
    case "undo": {
      const previous = state.past[state.past.length - 1];
      if (!previous) return state;
      return {
        ...state,
        flow: previous,
        past: state.past.slice(0, -1),
        future: [state.flow, ...state.future],
        lastCoalesce: null,
        selection: keepExisting(state.selection, previous),
      };
    }
    case "redo": {
      const next = state.future[0];
      if (!next) return state;
      return {
        ...state,
        flow: next,
        past: [...state.past, state.flow],
        future: state.future.slice(1),
        lastCoalesce: null,
        selection: keepExisting(state.selection, next),
      };
    }
    case "select":
      return { ...state, selection: action.ids, lastCoalesce: null };
    case "selectSample":
      return { ...state, currentSample: action.name };
    case "runResult":
      return { ...state, lastRun: action.result };
  }
}

export const canUndo = (state: DesignerState) => state.past.length > 0;
export const canRedo = (state: DesignerState) => state.future.length > 0;
