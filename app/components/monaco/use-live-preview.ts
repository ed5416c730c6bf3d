"use client";
/**
 * The live preview of an expression on a sample: debounced, evaluated in a Web Worker, stale answers
 * dropped. A worker that does not answer in time (an expression stuck past jsonata's own time box) is
 * replaced, so the preview always recovers.
 */
import { useEffect, useRef, useState } from "react";
import type { PreviewResult } from "@/flows/mapper/preview";
import type { PreviewMasters } from "@/flows/mapper/preview-masters";
import type { PreviewRequest } from "./preview.worker";

/** Short enough to feel live (the brief: a result within 150 ms of typing), long enough to skip keystrokes in a burst. */
export const PREVIEW_DEBOUNCE_MS = 40;
/** Well past jsonata's own time box (flows/mapper/preview.ts): only a worker wedged for real is replaced. */
const STUCK_AFTER_MS = 5000;

export interface LivePreview {
  result?: PreviewResult;
  /** From the last edit to its result being available, in milliseconds. */
  latencyMs?: number;
  pending: boolean;
}

function startWorker(): Worker {
  return new Worker(new URL("./preview.worker.ts", import.meta.url), { type: "module", name: "flowport-preview" });
}

/** `masters`: the snapshot `$lookup` of a master reads (undefined until loaded: such lookups say they are empty). */
export function useLivePreview(expression: string, sample: unknown, masters?: PreviewMasters): LivePreview {
  const worker = useRef<Worker | null>(null);
  const ready = useRef(false);
  const latest = useRef({ id: 0, editedAt: 0 });
  /** When the worker last became ready: a slow start is not a stuck evaluation. */
  const readyAt = useRef(0);
  const sampleRef = useRef<unknown>(sample);
  const mastersRef = useRef<PreviewMasters | undefined>(masters);
  const [state, setState] = useState<LivePreview>({ pending: true });

  const post = (message: PreviewRequest) => worker.current?.postMessage(message);

  useEffect(() => {
    const attach = () => {
      const w = startWorker();
      ready.current = false;
      w.onmessage = (event: MessageEvent<{ ready: true } | { id: number; result: PreviewResult }>) => {
        if ("ready" in event.data) {
          ready.current = true;
          readyAt.current = performance.now();
          return;
        }
        if (event.data.id !== latest.current.id) return;
        setState({ result: event.data.result, latencyMs: performance.now() - latest.current.editedAt, pending: false });
      };
      w.postMessage({ type: "sample", sample: sampleRef.current } satisfies PreviewRequest);
      w.postMessage({ type: "masters", masters: mastersRef.current } satisfies PreviewRequest);
      worker.current = w;
    };
    attach();
    const watchdog = setInterval(() => {
      const { editedAt, id } = latest.current;
      if (ready.current && id > 0 && performance.now() - Math.max(editedAt, readyAt.current) > STUCK_AFTER_MS && worker.current && stateRef.current.pending) {
        worker.current.terminate();
        attach();
        setState({ pending: false, result: { ok: false, phase: "evaluate", evaluateMs: STUCK_AFTER_MS, error: { code: "TIMEOUT", message: "The preview took too long and was stopped", offset: 0, line: 1, column: 1 } } });
      }
    }, 1000);
    return () => {
      clearInterval(watchdog);
      worker.current?.terminate();
      worker.current = null;
    };
  }, []);

  const stateRef = useRef(state);
  stateRef.current = state;

  useEffect(() => {
    sampleRef.current = sample;
    post({ type: "sample", sample });
  }, [sample]);

  useEffect(() => {
    mastersRef.current = masters;
    post({ type: "masters", masters });
  }, [masters]);

  useEffect(() => {
    const editedAt = performance.now();
    const id = latest.current.id + 1;
    latest.current = { id, editedAt };
    setState((s) => ({ ...s, pending: true }));
    const timer = setTimeout(() => post({ type: "evaluate", id, expression }), PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [expression, sample, masters]);

  return state;
}
