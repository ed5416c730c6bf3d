"use client";

/**
 * Drafts save themselves: each change is saved 800 ms after the last edit, one save at a time, each
 * naming the revision it builds on. When someone else saved in between, the server refuses with
 * CONFLICT and autosave stops until the user loads their version or overwrites it: a second editor
 * is warned, never silently overwritten.
 */
import { useMutation } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import type { FlowFile } from "@/flows/format";
import { useTRPC } from "@/app/lib/trpc";
import type { SaveState } from "./save-status";

const DEBOUNCE_MS = 800;

interface Options {
  flow: FlowFile;
  initialRevision: number;
  enabled: boolean;
}

export interface DraftAutosave {
  state: SaveState;
  revision: number;
  /** Saves now if anything is unsaved; resolves with the saved revision (rejects on conflict or error). */
  flush: () => Promise<number>;
  overwrite: () => Promise<void>;
  /** After loading someone else's draft: it is the new base, nothing to save. */
  rebase: (flow: FlowFile, revision: number) => void;
}

export function useDraftAutosave({ flow, initialRevision, enabled }: Options): DraftAutosave {
  const trpc = useTRPC();
  const save = useMutation(trpc.flows.save.mutationOptions());
  // The mutation object changes on every render; the saving logic must not (it would restart the debounce).
  const mutate = useRef(save.mutateAsync);
  mutate.current = save.mutateAsync;
  const [state, setState] = useState<SaveState>({ kind: "saved", at: null });
  const savedAt = useRef<Date | null>(null);
  const revision = useRef(initialRevision);
  const saved = useRef(flow);
  const latest = useRef(flow);
  const inFlight = useRef<Promise<number> | null>(null);
  const blocked = useRef(false);
  latest.current = flow;

  const saveNow = useCallback(
    async (overwrite = false): Promise<number> => {
      while (inFlight.current) await inFlight.current.catch(() => undefined);
      const target = latest.current;
      if (target === saved.current && !overwrite) return revision.current;
      setState({ kind: "saving" });
      const attempt = mutate
        .current({ flow: target, expectedRevision: revision.current, overwrite })
        .then((result) => {
          revision.current = result.draftRevision;
          saved.current = target;
          savedAt.current = new Date();
          blocked.current = false;
          setState(latest.current === target ? { kind: "saved", at: savedAt.current } : { kind: "pending" });
          return result.draftRevision;
        })
        .catch((error: { data?: { code?: string }; message: string }) => {
          if (error.data?.code === "CONFLICT") {
            blocked.current = true;
            setState({ kind: "conflict", message: error.message });
          } else setState({ kind: "error", message: error.message });
          throw error;
        })
        .finally(() => {
          inFlight.current = null;
        });
      inFlight.current = attempt;
      return attempt;
    },
    [],
  );

  useEffect(() => {
    if (!enabled || blocked.current) return;
    if (flow === saved.current) {
      // Undone back to exactly what is saved before the debounce ran: nothing is unsaved any more.
      setState((s) => (s.kind === "pending" ? { kind: "saved", at: savedAt.current } : s));
      return;
    }
    setState((s) => (s.kind === "saving" || s.kind === "pending" ? s : { kind: "pending" }));
    const timer = setTimeout(() => void saveNow().catch(() => undefined), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [enabled, flow, saveNow]);

  // Leaving with unsaved edits asks first.
  useEffect(() => {
    const onLeave = (e: BeforeUnloadEvent) => {
      if (latest.current !== saved.current && enabled) e.preventDefault();
    };
    window.addEventListener("beforeunload", onLeave);
    return () => window.removeEventListener("beforeunload", onLeave);
  }, [enabled]);

  return {
    state,
    revision: revision.current,
    flush: () => (blocked.current ? Promise.reject(new Error("The draft is in conflict")) : saveNow()),
    overwrite: async () => {
      await saveNow(true);
    },
    rebase: (next, nextRevision) => {
      revision.current = nextRevision;
      saved.current = next;
      latest.current = next;
      savedAt.current = new Date();
      blocked.current = false;
      setState({ kind: "saved", at: savedAt.current });
    },
  };
}
