"use client";
/**
 * Testing in the designer (the seed's §3.8): named samples, the sample's payload in a JSON editor, a
 * parse preview, mapping validation pointing at node and field, and a dry run of the draft through
 * the engine with the answer, the record and each node's result.
 */
import { useMutation } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import type { FlowFile } from "@/flows/format";
import { flattenSample } from "@/flows/mapper/sample-tree";
import { hasCapability } from "@/flows/nodes/registry";
import { resolveGenerators, type JsonValue } from "@/flows/samples/generators";
import { validateMappings, type MappingIssue } from "@/flows/mapper/validate-mapping";
import { validateGraph } from "@/flows/validate-graph";
import { JsonEditor } from "@/app/components/monaco/json-editor";
import { useTRPC } from "@/app/lib/trpc";
import { useCan } from "@/app/lib/use-can";
import type { DesignerRunResult } from "./run-result";
import { RunResultView } from "./run-result-view";
import { SamplesList } from "./samples-list";
import "../mapper/mapper.css";
import "./testing.css";

export interface TestPanelProps {
  flow: FlowFile;
  onFlowChange: (flow: FlowFile) => void;
  currentSample: string | undefined;
  onSelectSample: (name: string | undefined) => void;
  onResult: (result: DesignerRunResult | null) => void;
  /** Shows where a mapping issue is: its node in the inspector, its field highlighted. */
  onShowIssue?: (issue: MappingIssue) => void;
}

type Tab = "payload" | "parse" | "validation" | "run";

/** Mapping issues plus expressions elsewhere in the flow that do not parse, all addressed to node and field. */
function flowIssues(flow: FlowFile, payload: unknown): MappingIssue[] {
  const mapping = validateMappings(flow, payload);
  const names = new Map(flow.nodes.map((n) => [n.id, n.name || n.id]));
  const others = validateGraph(flow)
    .filter((e) => e.code === "EXPRESSION_SYNTAX" && e.nodeId && !flow.nodes.some((n) => n.id === e.nodeId && hasCapability(n, "mapping")))
    .map<MappingIssue>((e) => ({ nodeId: e.nodeId!, nodeName: names.get(e.nodeId!) ?? e.nodeId!, field: e.path.slice(1).join("."), code: "EXPRESSION_SYNTAX", severity: "error", message: e.message }));
  return [...mapping, ...others];
}

export function TestPanel({ flow, onFlowChange, currentSample, onSelectSample, onResult, onShowIssue }: TestPanelProps) {
  const trpc = useTRPC();
  const canTest = useCan("flows.test");
  const [tab, setTab] = useState<Tab>("payload");
  const sample = flow.samples.find((s) => s.name === currentSample);
  const [text, setText] = useState(() => JSON.stringify(sample?.payload ?? {}, null, 2));
  const [jsonError, setJsonError] = useState<string | undefined>();
  const [result, setResult] = useState<DesignerRunResult | null>(null);

  // A different sample was picked: show its payload, forget the last run.
  useEffect(() => {
    setText(JSON.stringify(sample?.payload ?? {}, null, 2));
    setJsonError(undefined);
    setResult(null);
    onResult(null);
    // Only the sample's identity matters here, not each edit of its payload.
  }, [currentSample]);

  const payload = sample?.payload;
  const preview = useMemo(() => (sample ? flattenSample(payload) : { rows: [], truncated: false }), [sample, payload]);
  const issues = useMemo(() => flowIssues(flow, payload), [flow, payload]);
  // The sample's generators ({{unique}}…) by path, with the value the last dry run gave each.
  const generators = useMemo(() => {
    if (payload === undefined) return [];
    try {
      return resolveGenerators(payload as JsonValue, { example: true }).generated.map((g) => ({ path: g.path, text: g.text }));
    } catch {
      return [];
    }
  }, [payload]);
  const lastRun = new Map((result?.generated ?? []).map((g) => [g.path, g.value]));
  const errors = issues.filter((i) => i.severity === "error").length;

  const dryRun = useMutation(
    trpc.designerTesting.dryRun.mutationOptions({
      onSuccess: (r) => {
        setResult(r);
        onResult(r);
        setTab("run");
      },
    }),
  );

  const editPayload = (next: string) => {
    setText(next);
    if (!sample) return;
    try {
      const parsed = JSON.parse(next) as typeof sample.payload;
      setJsonError(undefined);
      onFlowChange({ ...flow, samples: flow.samples.map((s) => (s.name === sample.name ? { ...s, payload: parsed } : s)) });
    } catch (e) {
      setJsonError((e as Error).message);
    }
  };

  return (
    <div className="test-panel" data-testid="test-panel">
      <SamplesList flow={flow} onFlowChange={onFlowChange} current={currentSample} onSelect={onSelectSample} canLoadLogs={canTest} />
      <div className="test-main">
        <div className="test-toolbar">
          <div className="segmented" role="tablist" aria-label="Test view">
            {(
              [
                ["payload", "Payload"],
                ["parse", "Parse preview"],
                ["validation", "Mapping validation"],
                ["run", "Dry run result"],
              ] as const
            ).map(([id, label]) => (
              <button key={id} type="button" role="tab" aria-selected={tab === id} className={tab === id ? "active" : undefined} onClick={() => setTab(id)}>
                {label}
                {id === "validation" && issues.length > 0 && <span className={`badge ${errors > 0 ? "badge-error" : "badge-warning"}`}>{issues.length}</span>}
                {id === "run" && result && <span className={`badge ${result.status === "SUCCESS" ? "badge-ok" : "badge-error"}`}>{result.httpStatus}</span>}
              </button>
            ))}
          </div>
          <button
            type="button"
            className="button-primary"
            data-testid="dry-run"
            disabled={!sample || !canTest || dryRun.isPending || jsonError !== undefined}
            title={!canTest ? "Your role cannot run tests" : !sample ? "Pick or add a sample first" : "Runs the draft on this sample; nothing is saved or sent"}
            onClick={() => sample && dryRun.mutate({ flow, sample: { payload: sample.payload, ...(sample.headers ? { headers: sample.headers } : {}) } })}
          >
            {dryRun.isPending ? "Running…" : "▶ Dry run"}
          </button>
        </div>
        {dryRun.isError && (
          <p className="field-issue error" role="alert">
            {/* The error table's code (flows/app-errors.ts), e.g. DRY_RUN_TIMEOUT, as the CLI and the logs name it. */}
            {dryRun.error.data?.appCode && <code className="error-code">{dryRun.error.data.appCode}</code>} {dryRun.error.message}
          </p>
        )}
        {!sample && tab !== "validation" ? (
          <p className="muted">Pick a sample on the left, or add one, to test the flow on it.</p>
        ) : (
          <>
            {tab === "payload" && (
              <div>
                <JsonEditor value={text} onChange={editPayload} height={260} ariaLabel={`Payload of ${sample?.name ?? "the sample"}`} />
                {jsonError && <p className="field-issue error">Not valid JSON yet: {jsonError}</p>}
                {generators.length > 0 && (
                  <table className="mapping-table generators-table" data-testid="sample-generators" aria-label="Generated values">
                    <thead>
                      <tr>
                        <th>Generated field</th>
                        <th>Generator</th>
                        <th>Last run</th>
                      </tr>
                    </thead>
                    <tbody>
                      {generators.map((g) => (
                        <tr key={g.path} data-path={g.path}>
                          <td className="mono">{g.path}</td>
                          <td className="mono">{g.text}</td>
                          <td className="mono" data-testid={`generated-${g.path}`}>
                            {lastRun.get(g.path) ?? <span className="muted">a new value on each run</span>}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </div>
            )}
            {tab === "parse" && (
              <div className="mapping-table-wrap">
                <table className="mapping-table" data-testid="parse-preview">
                  <thead>
                    <tr>
                      <th>Path</th>
                      <th>Type</th>
                      <th>Value</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.rows.map((r) => (
                      <tr key={r.path}>
                        <td className="mono">{r.path}</td>
                        <td>
                          <span className={`type-chip type-${r.type}`}>{r.type}</span>
                        </td>
                        <td className="mono">
                          {r.value}
                          {lastRun.has(r.path) && <span className="muted"> → last run {JSON.stringify(lastRun.get(r.path))}</span>}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {preview.truncated && <p className="muted small">Only the first {preview.rows.length} values are shown.</p>}
              </div>
            )}
            {tab === "validation" &&
              (issues.length === 0 ? (
                <p className="badge badge-ok">Every mapping checks out{sample ? " on this sample" : ""}.</p>
              ) : (
                <ul className="issue-list" data-testid="validation-list">
                  {issues.map((i, n) => (
                    <li key={n} className={i.severity} data-node={i.nodeId} data-field={i.field}>
                      <span className="issue-code">{i.code}</span> <strong>{i.nodeName}</strong> › <span className="mono">{i.field}</span> — {i.message}
                      {onShowIssue && (
                        <button type="button" className="link-button issue-show" onClick={() => onShowIssue(i)} aria-label={`Show ${i.field} of ${i.nodeName}`}>
                          Show
                        </button>
                      )}
                    </li>
                  ))}
                </ul>
              ))}
            {tab === "run" && (result ? <RunResultView result={result} flow={flow} expect={sample?.expect} /> : <p className="muted">Run the draft on this sample to see what it would answer and write.</p>)}
          </>
        )}
      </div>
    </div>
  );
}
