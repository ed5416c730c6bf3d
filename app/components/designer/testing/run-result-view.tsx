"use client";
/** A dry run's result: the HTTP answer, the record that would be written, and each node's run. */
import { useState } from "react";
import { inExecutionOrder } from "@/flows/execution-order";
import type { FlowFile, SampleExpectation } from "@/flows/format";
import type { DesignerRunResult } from "./run-result";

const json = (v: unknown) => (v === undefined ? "—" : JSON.stringify(v, null, 2));

function expectationDiffs(expect: SampleExpectation | undefined, result: DesignerRunResult): string[] | undefined {
  if (!expect) return undefined;
  const diffs: string[] = [];
  if (result.status !== expect.status) diffs.push(`status: expected ${expect.status}, got ${result.status}`);
  if (expect.httpStatus !== undefined && result.httpStatus !== expect.httpStatus) diffs.push(`HTTP: expected ${expect.httpStatus}, got ${result.httpStatus}`);
  if (expect.errorCode !== undefined && result.errorCode !== expect.errorCode) diffs.push(`error code: expected ${expect.errorCode}, got ${result.errorCode ?? "none"}`);
  return diffs;
}

export function RunResultView({ result, flow, expect }: { result: DesignerRunResult; flow: FlowFile; expect?: SampleExpectation }) {
  const [open, setOpen] = useState<string | undefined>(() => Object.entries(result.nodes).find(([, n]) => n.status === "error")?.[0]);
  const ok = result.status === "SUCCESS";
  const diffs = expectationDiffs(expect, result);
  // In the order the run happened; a node deleted since the run still shows, under its id.
  const ordered = inExecutionOrder(flow, Object.keys(result.nodes)).map((id) => flow.nodes.find((n) => n.id === id) ?? { id, name: "", type: "(deleted)" });

  return (
    <div className="run-result" data-testid="run-result" data-status={result.status}>
      <div className="run-summary">
        <span className={`http-badge ${ok ? "ok" : result.status === "ERROR" ? "error" : "fail"}`} data-testid="run-http-status">
          {result.httpStatus ?? "—"}
        </span>
        <strong>{result.status}</strong>
        {result.errorCode && <span className="mono">{result.errorCode}</span>}
        {result.durationMs !== undefined && <span className="muted small">in {result.durationMs} ms · nothing was saved or sent</span>}
        {diffs && (diffs.length === 0 ? <span className="badge badge-ok">matches the sample’s expectation</span> : <span className="badge badge-error" title={diffs.join("\n")}>differs from the expectation: {diffs.join("; ")}</span>)}
      </div>
      {result.generated && result.generated.length > 0 && (
        <p className="muted small" data-testid="run-generated">
          Generated for this run:{" "}
          {result.generated.map((g, i) => (
            <span key={g.path}>
              {i > 0 && " · "}
              <span className="mono">{g.path}</span> <span className="mono">{g.text}</span> → <span className="mono">{g.value}</span>
            </span>
          ))}
        </p>
      )}
      <div className="run-columns">
        <section>
          <h5>Response that would be returned</h5>
          <pre className="run-json" data-testid="run-response">{json(result.responseBody)}</pre>
        </section>
        <section>
          <h5>{flow.direction === "incoming" ? "Record that would be written" : "Request that would be sent"}</h5>
          <pre className="run-json" data-testid="run-record">
            {flow.direction === "incoming" ? (result.recordPreview === undefined ? "(no record: the flow stopped before saving)" : json(result.recordPreview)) : result.requests?.length ? json(result.requests) : "(no request)"}
          </pre>
        </section>
      </div>
      {result.fieldErrors && result.fieldErrors.length > 0 && (
        <ul className="issue-list" aria-label="Field errors">
          {result.fieldErrors.map((f, i) => (
            <li key={i} className="error">
              <span className="issue-code">{f.code}</span> <span className="mono">{f.field}</span> — {f.message}
            </li>
          ))}
        </ul>
      )}
      <h5>Nodes</h5>
      <ol className="node-results" aria-label="Node results">
        {ordered.map((node) => {
          const r = result.nodes[node.id]!;
          const expanded = open === node.id;
          return (
            <li key={node.id} className={`node-result ${r.status}`} data-node={node.id} data-status={r.status}>
              <button type="button" aria-expanded={expanded} onClick={() => setOpen(expanded ? undefined : node.id)}>
                <span className={`status-dot status-${r.status}`} aria-hidden />
                <span className="node-name">{node.name || node.id}</span>
                <span className="muted small">{node.type}</span>
                {r.error && <span className="mono error-text">{r.error.code}</span>}
                <span className="muted small node-duration">{r.status === "skipped" ? "skipped" : `${r.durationMs ?? 0} ms`}</span>
              </button>
              {expanded && (
                <div className="node-detail">
                  {r.note && <p className="muted small">{r.note}</p>}
                  {r.error && <p className="field-issue error">{r.error.message}</p>}
                  <div className="run-columns">
                    <section>
                      <h6>Input</h6>
                      <pre className="run-json">{json(r.input)}</pre>
                    </section>
                    <section>
                      <h6>Output</h6>
                      <pre className="run-json">{json(r.output)}</pre>
                    </section>
                  </div>
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
