"use client";
/**
 * The per-node trace as a timeline: one row per node in the order it ran, a bar for its share of
 * the run, its status and note; open a row for the node's input, output or error.
 */
import { useState } from "react";
import type { TraceEntry } from "@/server/engine/trace";
import { formatDuration } from "./format";
import { JsonView } from "./json-view";

export function TraceTimeline({ trace, onReplayFrom }: { trace: TraceEntry[]; onReplayFrom?: (nodeId: string) => void }) {
  const [open, setOpen] = useState<number | null>(null);
  if (trace.length === 0) return <p className="muted">No trace: this flow does not log payloads, or the call stopped before the flow ran.</p>;
  const longest = Math.max(1, ...trace.map((t) => t.durationUs));
  return (
    <ol className="trace-timeline" aria-label="Trace">
      {trace.map((entry, i) => (
        <li key={`${entry.nodeId}-${entry.item ?? ""}-${i}`} className={`trace-step trace-${entry.status}`}>
          <button type="button" className="trace-head" aria-expanded={open === i} onClick={() => setOpen(open === i ? null : i)}>
            <span className="trace-dot" aria-hidden />
            <span className="trace-name">
              {entry.name || entry.nodeId} <span className="muted">({entry.type}{entry.item !== undefined ? ` · item ${entry.item}` : ""})</span>
            </span>
            <span className="trace-bar" aria-hidden>
              <span style={{ width: `${Math.max(2, (entry.durationUs / longest) * 100)}%` }} />
            </span>
            <span className="trace-status">{entry.status}</span>
            <span className="trace-time">{formatDuration(entry.durationUs / 1000)}</span>
          </button>
          {entry.note || entry.error ? (
            <div className="trace-note">
              {entry.error ? <strong className="tone-bad">{entry.error.code}: </strong> : null}
              {entry.error?.message ?? entry.note}
            </div>
          ) : null}
          {open === i ? (
            <div className="trace-body">
              {entry.truncated ? <p className="muted">Values over 64 KiB are shown cut.</p> : null}
              <div className="trace-io">
                <div>
                  <h4>Input</h4>
                  <JsonView value={entry.input} label={`Input of ${entry.nodeId}`} />
                </div>
                <div>
                  <h4>{entry.error ? "Error" : "Output"}</h4>
                  <JsonView value={entry.error ?? entry.output} label={`Output of ${entry.nodeId}`} />
                </div>
              </div>
              {onReplayFrom && entry.status !== "skipped" && i > 0 ? (
                <button type="button" className="button" onClick={() => onReplayFrom(entry.nodeId)}>
                  Replay from {entry.name || entry.nodeId}…
                </button>
              ) : null}
            </div>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
