"use client";
/**
 * Fix-and-replay for one logged incoming call: against the published version (live) or as a dry
 * run on the draft, with the payload as logged or edited, from the trigger or from a chosen node
 * (fed that node's logged input, editable too).
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "@/app/lib/trpc";
import { parseJson, toJsonText } from "./format";
import { JsonEditor } from "@/app/components/monaco/json-editor";
import { JsonView } from "./json-view";
import type { ExecutionDetail, ReplayOutcome } from "./types";

export function ReplayPanel({ execution, fromNodeId, onFromNodeChange }: { execution: ExecutionDetail; fromNodeId: string; onFromNodeChange: (nodeId: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const nodes = execution.trace.filter((t, i) => i > 0 && t.status !== "skipped" && t.item === undefined);
  const loggedInput = fromNodeId ? execution.trace.find((t) => t.nodeId === fromNodeId)?.input : (execution.request as { body?: unknown } | null)?.body;
  const [edit, setEdit] = useState(false);
  const [text, setText] = useState(toJsonText(loggedInput));
  const [result, setResult] = useState<ReplayOutcome | null>(null);
  // Start again from the logged value only when the starting node changes, not when the detail
  // is refetched after a replay (the operator's edit stays).
  useEffect(() => setText(toJsonText(loggedInput)), [fromNodeId, execution.id]);

  const replay = useMutation(
    trpc.logs.replay.mutationOptions({
      onSuccess: (outcome) => {
        setResult(outcome);
        void queryClient.invalidateQueries({ queryKey: trpc.logs.pathKey() });
      },
    }),
  );
  const parsed = edit ? parseJson(text) : null;
  const run = (target: "published" | "draft") => {
    if (parsed && !parsed.ok) return;
    replay.mutate({ id: execution.id, target, fromNodeId: fromNodeId || undefined, payload: parsed?.ok ? parsed.value : undefined });
  };

  return (
    <section className="replay-panel" aria-label="Replay">
      <h3>Replay</h3>
      <div className="row">
        <label>
          Start at
          <select value={fromNodeId} onChange={(e) => onFromNodeChange(e.target.value)} aria-label="Start at">
            <option value="">the trigger (the whole request)</option>
            {nodes.map((n) => (
              <option key={n.nodeId} value={n.nodeId}>
                {n.name || n.nodeId} (its logged input)
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          <input type="checkbox" checked={edit} onChange={(e) => setEdit(e.target.checked)} /> Edit {fromNodeId ? "the node's input" : "the payload"} first
        </label>
      </div>
      {edit ? <JsonEditor value={text} onChange={setText} ariaLabel="Replay payload" height={220} /> : null}
      {parsed && !parsed.ok ? <p className="form-error" role="alert">{parsed.error}</p> : null}
      <div className="row">
        <button type="button" className="button primary" disabled={replay.isPending || (parsed !== null && !parsed.ok)} onClick={() => run("published")}>
          Replay on published version
        </button>
        <button type="button" className="button" disabled={replay.isPending || (parsed !== null && !parsed.ok)} onClick={() => run("draft")}>
          Dry run on draft
        </button>
      </div>
      {replay.error ? <p className="form-error">{replay.error.message}</p> : null}
      {result ? (
        <div className={`replay-result tone-${result.status === "SUCCESS" ? "ok" : "bad"}`} role="status">
          <strong>
            {result.mode === "dry" ? "Dry run" : "Replay"}: {result.status} · HTTP {result.httpStatus}
            {result.recordId ? ` · ${result.recordId}` : ""}
            {result.errorCode ? ` · ${result.errorCode}` : ""}
          </strong>
          <JsonView value={result.response} label="Replay response" />
        </div>
      ) : null}
    </section>
  );
}
