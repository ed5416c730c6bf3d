"use client";
/**
 * The two-column mapper: source fields on the left, target fields on the right, a line per mapping.
 * Drag a source onto a target (HTML5 drag and drop), or click a source and then a target (touch
 * friendly). By keyboard: the sources are one listbox (arrows move, Enter chooses), each target's name
 * is a button (Enter maps the chosen source to it, Escape lets go). Lines are an SVG overlay measured
 * from the rendered rows.
 * Unmapped targets show the suggested source (flows/mapper/suggest.ts) as a one-click chip; "Accept all"
 * takes them all. Suggestions live in the target column only, so the source list never moves under a drag.
 */
import { useCallback, useId, useLayoutEffect, useRef, useState, type DragEvent, type KeyboardEvent } from "react";
import type { TargetField } from "@/flows/mapper/flow-context";
import { dropSource } from "@/flows/mapper/row-modes";
import { describeSource, type MappingRow } from "@/flows/mapper/model";
import { treePaths, type FieldNode } from "@/flows/mapper/sample-tree";
import type { MappingSuggestion } from "@/flows/mapper/suggest";
import type { MappingIssue } from "@/flows/mapper/validate-mapping";
import { TransformPicker } from "./transform-picker";

const DRAG_TYPE = "application/x-flowport-source";

interface Line {
  key: string;
  d: string;
  issue: boolean;
}

export interface VisualMapperProps {
  rows: MappingRow[];
  onRowsChange: (rows: MappingRow[]) => void;
  sources: FieldNode[];
  targets: TargetField[];
  targetTitle: string;
  sourceTitle: string;
  rules: Map<string, { summary: string }[]>;
  issues: MappingIssue[];
  /** What each target gets on the current sample, from the live preview. */
  previewValues?: Record<string, unknown>;
  /** Suggested pairs for unmapped targets, and what accepting some does. */
  suggestions?: MappingSuggestion[];
  onAcceptSuggestions?: (accepted: MappingSuggestion[]) => void;
  onAddTarget?: (name: string) => void;
}

const percent = (s: MappingSuggestion) => `${Math.round(s.confidence * 100)}%`;
const confidenceClass = (s: MappingSuggestion) => (s.confidence >= 0.85 ? "high" : s.confidence >= 0.7 ? "medium" : "low");

function valueText(value: unknown): string {
  if (value === undefined) return "—";
  const text = JSON.stringify(value) ?? "";
  return text.length > 48 ? `${text.slice(0, 47)}…` : text;
}

function getPath(obj: unknown, target: string): unknown {
  let cur = obj;
  for (const part of target.split(".")) {
    if (cur === null || typeof cur !== "object" || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function VisualMapper(props: VisualMapperProps) {
  const { rows, onRowsChange, sources, targets, rules, issues, previewValues } = props;
  const suggestions = props.onAcceptSuggestions ? (props.suggestions ?? []) : [];
  const suggestionFor = new Map(suggestions.map((s) => [s.target, s]));
  const container = useRef<HTMLDivElement>(null);
  const [lines, setLines] = useState<Line[]>([]);
  const [selected, setSelected] = useState<string | undefined>();
  const [over, setOver] = useState<string | undefined>();
  const [newTarget, setNewTarget] = useState("");
  /** The source that holds the listbox's one Tab stop (roving tabindex). */
  const [active, setActive] = useState<string | undefined>();
  const hintId = useId();

  const byTarget = new Map(rows.map((r) => [r.target, r]));
  const mappedPaths = new Set(rows.flatMap((r) => describeSource(r.source).paths));
  const flat = treePaths(sources);
  const depthOf = (path: string) => (path.match(/\.(?=(?:[^`]*`[^`]*`)*[^`]*$)/g) ?? []).length;

  const mapTo = useCallback(
    (target: string, path: string) => {
      const next = dropSource(byTarget.get(target), target, path);
      const exists = rows.some((r) => r.target === target);
      onRowsChange(exists ? rows.map((r) => (r.target === target ? next : r)) : [...rows, next]);
      setSelected(undefined);
    },
    [rows, onRowsChange],
  );

  const remove = (target: string) => onRowsChange(rows.filter((r) => r.target !== target));
  const update = (row: MappingRow) => onRowsChange(rows.map((r) => (r.target === row.target ? row : r)));

  const measure = useCallback(() => {
    const root = container.current;
    if (!root) return;
    const box = root.getBoundingClientRect();
    const found: Line[] = [];
    for (const row of rows) {
      const targetEl = root.querySelector<HTMLElement>(`[data-target="${CSS.escape(row.target)}"] .target-anchor`);
      if (!targetEl) continue;
      const t = targetEl.getBoundingClientRect();
      const hasIssue = issues.some((i) => i.field === row.target && i.severity === "error");
      for (const path of describeSource(row.source).paths) {
        const sourceEl = root.querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"] .source-anchor`);
        if (!sourceEl) continue;
        const s = sourceEl.getBoundingClientRect();
        const x1 = s.right - box.left;
        const y1 = s.top + s.height / 2 - box.top;
        const x2 = t.left - box.left;
        const y2 = t.top + t.height / 2 - box.top;
        const mid = (x1 + x2) / 2;
        found.push({ key: `${path}->${row.target}`, d: `M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}`, issue: hasIssue });
      }
    }
    setLines(found);
  }, [rows, issues]);

  useLayoutEffect(() => {
    measure();
    const root = container.current;
    if (!root) return;
    const observer = new ResizeObserver(() => measure());
    observer.observe(root);
    return () => observer.disconnect();
  }, [measure, sources, targets]);

  const tabStop = selected ?? (active && flat.some((n) => n.path === active) ? active : flat[0]?.path);
  const toggle = (path: string) => setSelected(selected === path ? undefined : path);
  const onSourceKeys = (e: KeyboardEvent<HTMLElement>, path: string) => {
    const index = flat.findIndex((n) => n.path === path);
    const next = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: flat.length - 1 }[e.key];
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      toggle(path);
    } else if (e.key === "Escape") {
      setSelected(undefined);
    } else if (next !== undefined && flat[next]) {
      e.preventDefault();
      const el = container.current?.querySelector<HTMLElement>(`.source-list [data-path="${CSS.escape(flat[next].path)}"]`);
      setActive(flat[next].path);
      el?.focus();
    }
  };

  const onDragStart = (e: DragEvent, path: string) => {
    e.dataTransfer.setData(DRAG_TYPE, path);
    e.dataTransfer.setData("text/plain", path);
    e.dataTransfer.effectAllowed = "link";
  };
  const onDrop = (e: DragEvent, target: string) => {
    e.preventDefault();
    setOver(undefined);
    const path = e.dataTransfer.getData(DRAG_TYPE) || e.dataTransfer.getData("text/plain");
    if (path) mapTo(target, path);
  };

  return (
    <div className="visual-mapper" ref={container} data-testid="visual-mapper">
      <svg className="mapper-lines" aria-hidden data-testid="mapper-lines">
        {lines.map((l) => (
          <path key={l.key} d={l.d} className={l.issue ? "mapper-line issue" : "mapper-line"} data-line={l.key} />
        ))}
      </svg>
      <section className="mapper-col" aria-label="Source fields">
        <h3>{props.sourceTitle}</h3>
        {flat.length === 0 ? (
          <p className="mapper-empty">No source fields yet: pick or add a sample in the Test panel, and its fields appear here.</p>
        ) : (
          <ul className="source-list" role="listbox" aria-label={`${props.sourceTitle}: choose one, then a target`}>
            {flat.map((node) => (
              <li
                key={node.path}
                data-path={node.path}
                data-testid={`source-${node.path}`}
                className={`source-field${mappedPaths.has(node.path) ? " mapped" : ""}${selected === node.path ? " selected" : ""}`}
                style={{ paddingLeft: `${0.5 + depthOf(node.path) * 0.9}rem` }}
                draggable
                onDragStart={(e) => onDragStart(e, node.path)}
                onClick={() => toggle(node.path)}
                onKeyDown={(e) => onSourceKeys(e, node.path)}
                onFocus={() => setActive(node.path)}
                tabIndex={node.path === tabStop ? 0 : -1}
                role="option"
                aria-selected={selected === node.path}
                title={`Drag onto a target field, or click then click a target (${node.path})`}
              >
                <span className="drag-grip" aria-hidden>⋮⋮</span>
                <span className="field-name">{node.key}</span>
                <span className={`type-chip type-${node.type}`}>{node.type}</span>
                {node.example !== undefined && <span className="field-example">{node.example}</span>}
                <span className="source-anchor" aria-hidden />
              </li>
            ))}
          </ul>
        )}
      </section>
      <div className="mapper-gutter" aria-hidden />
      <section className="mapper-col" aria-label="Target fields">
        <div className="target-col-head">
          <h3>{props.targetTitle}</h3>
          {suggestions.length > 0 && (
            <button
              type="button"
              className="button-primary suggestions-accept-all"
              data-testid="accept-all-suggestions"
              title="Map every suggested pair (the chips on the fields below)"
              onClick={() => props.onAcceptSuggestions?.(suggestions)}
            >
              Accept all ({suggestions.length})
            </button>
          )}
        </div>
        {selected ? (
          <p className="mapper-hint" id={hintId}>
            Click a target, or press Enter on its name, to map <code>{selected}</code> to it (Escape cancels).
          </p>
        ) : null}
        <ul className="target-list">
          {targets.map((target) => {
            const row = byTarget.get(target.name);
            const fieldIssues = issues.filter((i) => i.field === target.name);
            const fieldRules = rules.get(target.name) ?? [];
            const sourceInfo = row ? describeSource(row.source) : undefined;
            return (
              <li
                key={target.name}
                data-target={target.name}
                data-testid={`target-${target.name}`}
                data-mapped={row ? row.source : ""}
                className={`target-field${row ? " mapped" : ""}${over === target.name ? " drop-over" : ""}${fieldIssues.some((i) => i.severity === "error") ? " has-error" : ""}`}
                onDragOver={(e) => {
                  e.preventDefault();
                  e.dataTransfer.dropEffect = "link";
                  if (over !== target.name) setOver(target.name);
                }}
                onDragLeave={() => setOver((o) => (o === target.name ? undefined : o))}
                onDrop={(e) => onDrop(e, target.name)}
                onClick={(e) => {
                  if (selected && !(e.target as HTMLElement).closest("select,input,button")) mapTo(target.name, selected);
                }}
              >
                <div className="target-head">
                  <span className="target-anchor" aria-hidden />
                  {/* The target's keyboard stop: Enter maps the chosen source here. */}
                  <button
                    type="button"
                    className="field-name target-pick"
                    aria-disabled={!selected}
                    aria-describedby={selected ? hintId : undefined}
                    title={selected ? `Map ${selected} to ${target.name}` : "Choose a source field first"}
                    onClick={() => {
                      if (selected) mapTo(target.name, selected);
                    }}
                    onKeyDown={(e) => {
                      if (e.key === "Escape") setSelected(undefined);
                    }}
                  >
                    {target.name}
                  </button>
                  {target.type && <span className="type-chip">{target.type}</span>}
                  {target.required && (
                    <span className="required-mark" title="Required">
                      required
                    </span>
                  )}
                  {row && (
                    // The source and its remove button wrap together, never the button alone.
                    <span className="target-link">
                      <span className="mapped-from" title={row.source}>
                        ← {sourceInfo?.kind === "field" ? row.source : sourceInfo?.kind === "constant" ? "constant" : sourceInfo?.kind === "concat" ? sourceInfo.paths.join(" + ") : "expression"}
                      </span>
                      <button type="button" className="icon-button" aria-label={`Remove the mapping of ${target.name}`} onClick={() => remove(target.name)}>
                        ×
                      </button>
                    </span>
                  )}
                </div>
                {row ? (
                  <div className="target-body">
                    <TransformPicker row={row} onChange={update} paths={flat.map((n) => n.path)} />
                    {previewValues && (
                      <span className="target-preview" data-testid={`preview-${target.name}`} title="On the current sample">
                        = {valueText(getPath(previewValues, target.name))}
                      </span>
                    )}
                  </div>
                ) : (
                  <div className="target-body muted drop-hint">
                    Drop a source field here
                    {suggestionFor.has(target.name) &&
                      (() => {
                        const suggestion = suggestionFor.get(target.name)!;
                        return (
                          <button
                            type="button"
                            className="suggestion-chip"
                            data-testid={`suggestion-${target.name}`}
                            title={`Suggested: ${suggestion.reasons.join("; ")}. Click to map ${suggestion.source} to ${target.name}.`}
                            aria-label={`Map ${suggestion.source} to ${target.name} (suggested, ${percent(suggestion)} sure: ${suggestion.reasons.join("; ")})`}
                            onClick={() => props.onAcceptSuggestions?.([suggestion])}
                          >
                            <span className="suggestion-verb">use</span> <span className="mono">{suggestion.source}</span>
                            <span className={`confidence ${confidenceClass(suggestion)}`}>{percent(suggestion)}</span>
                          </button>
                        );
                      })()}
                  </div>
                )}
                {fieldRules.length > 0 && (
                  <div className="rule-chips" aria-label={`Validation of ${target.name}`}>
                    {fieldRules.map((r, i) => (
                      <span key={i} className="rule-chip">
                        {r.summary}
                      </span>
                    ))}
                  </div>
                )}
                {fieldIssues.map((i, n) => (
                  <div key={n} className={`field-issue ${i.severity}`} role={i.severity === "error" ? "alert" : undefined}>
                    {i.message}
                  </div>
                ))}
              </li>
            );
          })}
        </ul>
        {props.onAddTarget && (
          <form
            className="add-target"
            onSubmit={(e) => {
              e.preventDefault();
              const name = newTarget.trim();
              if (/^[A-Za-z0-9_$]+(\.[A-Za-z0-9_$]+)*$/.test(name)) {
                props.onAddTarget?.(name);
                setNewTarget("");
              }
            }}
          >
            <input aria-label="New target field" placeholder="Add a target field, e.g. vendorCode" value={newTarget} onChange={(e) => setNewTarget(e.target.value)} />
            <button type="submit" className="button-secondary">
              Add
            </button>
          </form>
        )}
      </section>
    </div>
  );
}
