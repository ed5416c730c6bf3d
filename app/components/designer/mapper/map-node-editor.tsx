"use client";
/**
 * The map node's editor: the visual mapper, the same mapping as a table, and its JSONata in Monaco,
 * kept in step both ways (flows/mapper/model.ts), with a live preview on the current sample and the
 * mapping's validation beside the fields it concerns.
 */
import { useMemo, useState } from "react";
import { findEntity } from "@/flows/erp/entities";
import type { FlowFile } from "@/flows/format";
import type { PreviewMasters } from "@/flows/mapper/preview-masters";
import type { MapConfig } from "@/flows/nodes/map/definition";
import { mapTargets, rulesByField, sourceFields, storeEntity, triggerEntity } from "@/flows/mapper/flow-context";
import { describeSource, expressionToRows, rowsToExpression, type MappingRow } from "@/flows/mapper/model";
import { suggestMappings } from "@/flows/mapper/suggest";
import { hasGenerators, resolveGenerators, type JsonValue } from "@/flows/samples/generators";
import { treePaths } from "@/flows/mapper/sample-tree";
import { validateMapNode } from "@/flows/mapper/validate-mapping";
import { JsonataEditor } from "@/app/components/monaco/jsonata-editor";
import { useLivePreview } from "@/app/components/monaco/use-live-preview";
import { MappingTable } from "./mapping-table";
import { PreviewPanel } from "./preview-panel";
import { VisualMapper } from "./visual-mapper";
import "./mapper.css";

type View = "visual" | "table" | "code";

export interface MapNodeEditorProps {
  config: MapConfig;
  onChange: (config: MapConfig) => void;
  direction: "incoming" | "outgoing";
  sample: unknown | undefined;
  flow: FlowFile;
  nodeId: string;
  /** The masters `$lookup` reads in the live preview. */
  masters?: PreviewMasters;
}

export function MapNodeEditor({ config, onChange, direction, sample: written, flow, nodeId, masters }: MapNodeEditorProps) {
  // Generators ({{unique}}…) preview as stable example values of their shape (a GSTIN for a GST field).
  const sample = useMemo(() => (hasGenerators(written) ? resolveGenerators(written as JsonValue, { example: true }).value : written), [written]);
  const [view, setView] = useState<View>("visual");
  const [addedTargets, setAddedTargets] = useState<string[]>([]);
  const parsed = useMemo(() => expressionToRows(config.expression), [config.expression]);
  const rows: MappingRow[] = parsed.kind === "rows" ? parsed.rows : (config.mappings ?? []);
  const editable = parsed.kind === "rows";

  // The flow as it is with this editor's config, so checks see the edit before the parent re-renders.
  const current = useMemo<FlowFile>(
    () => ({ ...flow, direction, nodes: flow.nodes.map((n) => (n.id === nodeId ? { ...n, config: config as unknown as Record<string, unknown> } : n)) }),
    [flow, nodeId, config, direction],
  );
  const node = current.nodes.find((n) => n.id === nodeId);
  const sources = useMemo(() => sourceFields(current, nodeId, sample), [current, nodeId, sample]);
  const sourcePaths = useMemo(() => treePaths(sources).map((n) => n.path), [sources]);
  const targets = useMemo(() => {
    const known = mapTargets(current, nodeId, rows);
    const extra = addedTargets.filter((t) => !known.some((k) => k.name === t)).map((name) => ({ name, required: false, origin: "mapping" as const }));
    return [...known, ...extra];
  }, [current, nodeId, rows, addedTargets]);
  const { byField: rules, validateNodeId } = useMemo(() => rulesByField(current, nodeId), [current, nodeId]);
  const issues = useMemo(() => (node ? validateMapNode(current, node, sample) : []), [current, node, sample]);
  const preview = useLivePreview(config.expression, sample, masters);
  const previewValues = useMemo(() => {
    if (!preview.result?.ok || preview.result.truncated) return undefined;
    try {
      const value: unknown = JSON.parse(preview.result.json);
      return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }, [preview.result]);

  const suggestions = useMemo(
    () =>
      editable && sample !== undefined
        ? suggestMappings(sample, targets, { mappedSources: rows.flatMap((r) => describeSource(r.source).paths), mappedTargets: rows.map((r) => r.target) })
        : [],
    [editable, sample, targets, rows],
  );

  // Accepted pairs join the rows in the targets' order (the entity's field order), after those mapped.
  const acceptSuggestions = (accepted: { source: string; target: string }[]) => {
    const order = new Map(targets.map((t, i) => [t.name, i]));
    const added = [...accepted].sort((a, b) => (order.get(a.target) ?? 0) - (order.get(b.target) ?? 0));
    setRows([...rows, ...added.map((a) => ({ source: a.source, target: a.target }))]);
  };

  // Given the current text, only the changed rows are rewritten: the analyst's layout survives (issue 17).
  const setRows = (next: MappingRow[]) => onChange({ expression: rowsToExpression(next, config.expression), mappings: next });
  const setCode = (text: string) => {
    const read = expressionToRows(text);
    // While the code does not parse, the table keeps its last good rows: the draft stays savable.
    onChange({ expression: text, mappings: read.kind === "rows" ? read.rows : read.kind === "code" ? undefined : config.mappings });
  };

  const entity = direction === "incoming" ? storeEntity(current, nodeId) : triggerEntity(current, nodeId);
  const targetTitle = direction === "incoming" ? (entity ? `ERP fields · ${findEntity(entity)?.label ?? entity}` : "Output fields") : "Outgoing parameters";
  const sourceTitle = direction === "incoming" ? "Request fields" : entity ? `ERP fields · ${findEntity(entity)?.label ?? entity}` : "Record fields";
  const errors = issues.filter((i) => i.severity === "error").length;
  const warnings = issues.length - errors;

  return (
    <div className="map-node-editor" data-testid="map-node-editor" data-view={view}>
      <div className="mapper-toolbar">
        <div className="segmented" role="tablist" aria-label="Mapper view">
          {(["visual", "table", "code"] as const).map((v) => (
            <button key={v} type="button" role="tab" aria-selected={view === v} className={view === v ? "active" : undefined} onClick={() => setView(v)}>
              {v === "visual" ? "Visual" : v === "table" ? "Table" : "JSONata"}
            </button>
          ))}
        </div>
        <span className="mapper-summary" data-testid="mapper-summary">
          {editable ? `${rows.length} of ${targets.length} fields mapped` : parsed.kind === "code" ? "Custom expression" : "Expression has an error"}
          {errors > 0 && <span className="badge badge-error">{errors} error{errors === 1 ? "" : "s"}</span>}
          {warnings > 0 && <span className="badge badge-warning">{warnings} warning{warnings === 1 ? "" : "s"}</span>}
          {validateNodeId && <span className="muted"> · rules from “{current.nodes.find((n) => n.id === validateNodeId)?.name ?? validateNodeId}”</span>}
        </span>
      </div>

      {view !== "code" && parsed.kind === "code" && (
        <div className="mapper-banner" role="status">
          This mapping is written as JSONata that is more than field-to-field rows, so it is shown as code.{" "}
          <button type="button" className="link-button" onClick={() => setView("code")}>
            Open JSONata
          </button>{" "}
          or{" "}
          <button type="button" className="link-button" onClick={() => setRows([])}>
            start a visual mapping
          </button>
          .
        </div>
      )}
      {view !== "code" && parsed.kind === "invalid" && (
        <div className="mapper-banner error" role="alert">
          The JSONata does not parse (line {parsed.error.line}, column {parsed.error.column}: {parsed.error.message}). Fix it in the JSONata view; the rows below are the last good ones.
        </div>
      )}

      <div className={`mapper-view${editable || view === "code" ? "" : " disabled"}`}>
        {view === "visual" && (
          <VisualMapper
            rows={rows}
            onRowsChange={setRows}
            sources={sources}
            targets={targets}
            targetTitle={targetTitle}
            sourceTitle={sourceTitle}
            rules={rules}
            issues={issues}
            previewValues={previewValues}
            suggestions={suggestions}
            onAcceptSuggestions={acceptSuggestions}
            onAddTarget={(name) => setAddedTargets((t) => [...t, name])}
          />
        )}
        {view === "table" && <MappingTable direction={direction} rows={rows} onRowsChange={setRows} targets={targets} sourcePaths={sourcePaths} rules={rules} issues={issues} />}
        {view === "code" && (
          <div className="code-view">
            <JsonataEditor value={config.expression} onChange={setCode} height={300} fields={sources} ariaLabel="Map expression (JSONata)" />
            {parsed.kind === "rows" && <p className="muted small">Reads as {rows.length} field mapping{rows.length === 1 ? "" : "s"}: the Visual and Table views follow your edits.</p>}
          </div>
        )}
      </div>

      <PreviewPanel preview={preview} hasSample={sample !== undefined} />

      {issues.length > 0 && (
        <ul className="issue-list" aria-label="Mapping validation" data-testid="mapper-issues">
          {issues.map((i, n) => (
            <li key={n} className={i.severity}>
              <span className="issue-code">{i.code}</span> <span className="mono">{i.field}</span> — {i.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
