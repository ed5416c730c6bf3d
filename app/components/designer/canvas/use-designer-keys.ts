"use client";

/**
 * Keyboard shortcuts of the designer: undo (Ctrl/Cmd+Z), redo (Ctrl/Cmd+Shift+Z or Ctrl+Y), copy and
 * paste nodes (Ctrl/Cmd+C / V), select all (Ctrl/Cmd+A). Ignored while typing in a field or in Monaco
 * so text editing keeps its own undo. Delete is handled by React Flow itself.
 */
import { useEffect } from "react";

export interface DesignerKeyActions {
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
  selectAll: () => void;
}

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.closest(".monaco-editor")) return true;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
}

export function useDesignerKeys(actions: DesignerKeyActions, enabled: boolean) {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || typing(e.target)) return;
      const key = e.key.toLowerCase();
      const run = (action: () => void) => {
        e.preventDefault();
        action();
      };
      if (key === "z" && e.shiftKey) run(actions.redo);
      else if (key === "z") run(actions.undo);
      else if (key === "y") run(actions.redo);
      else if (key === "c" && !e.shiftKey) {
        // Leave text selections on the page to the browser's own copy.
        if (window.getSelection()?.toString()) return;
        run(actions.copy);
      } else if (key === "v" && !e.shiftKey) run(actions.paste);
      else if (key === "a" && !e.shiftKey) run(actions.selectAll);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [actions, enabled]);
}
