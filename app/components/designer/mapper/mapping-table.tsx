"use client";
/**
 * The mapping as the seed's mapping lists show it (§3.4 incoming: API Parameter | ERP Field |
 * Validation | Required; §4.4 outgoing: ERP Field | Outgoing Parameter | Type | Required), editable,
 * with the next validate node's rules beside each field.
 */
import { useState } from "react";
import type { TargetField } from "@/flows/mapper/flow-context";
import { describeSource, rowValue, valueToRow, type MappingRow } from "@/flows/mapper/model";
import type { MappingIssue } from "@/flows/mapper/validate-mapping";
import { TransformPicker } from "./transform-picker";

interface Props {
  direction: "incoming" | "outgoing";
  rows: MappingRow[];
  onRowsChange: (rows: MappingRow[]) => void;
  targets: TargetField[];
  sourcePaths: string[];
  rules: Map<string, { summary: string }[]>;
  issues: MappingIssue[];
}

export function MappingTable({ direction, rows, onRowsChange, targets, sourcePaths, rules, issues }: Props) {
  const [draft, setDraft] = useState({ source: "", target: "" });
  const targetOf = new Map(targets.map((t) => [t.name, t]));
  const incoming = direction === "incoming";
  const sourceHeader = incoming ? "API Parameter" : "ERP Field";
  const targetHeader = incoming ? "ERP Field" : "Outgoing Parameter";
  const unmapped = targets.filter((t) => !rows.some((r) => r.target === t.name));

  const replace = (index: number, row: MappingRow) => onRowsChange(rows.map((r, i) => (i === index ? row : r)));

  return (
    <div className="mapping-table-wrap">
      <datalist id="mapper-source-paths">
        {sourcePaths.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      <table className="mapping-table" data-testid="mapping-table">
        <thead>
          <tr>
            <th>{sourceHeader}</th>
            <th>{targetHeader}</th>
            <th>Transform</th>
            <th>Type</th>
            <th>Validation</th>
            <th>Required</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const target = targetOf.get(row.target);
            const rowIssues = issues.filter((i) => i.field === row.target);
            const isField = describeSource(row.source).kind === "field";
            return (
              <tr key={`${row.target}-${index}`} data-row={row.target} className={rowIssues.some((i) => i.severity === "error") ? "has-error" : undefined}>
                <td>
                  <input
                    className="cell-input mono"
                    aria-label={`${sourceHeader} for ${row.target}`}
                    list="mapper-source-paths"
                    defaultValue={isField ? row.source : rowValue(row)}
                    key={row.source + (row.transform ?? "")}
                    spellCheck={false}
                    onBlur={(e) => {
                      const text = e.target.value.trim();
                      if (text === "" || text === (isField ? row.source : rowValue(row))) return;
                      replace(index, isField ? { ...row, source: text } : valueToRow(row.target, text));
                    }}
                  />
                  {rowIssues.map((i, n) => (
                    <div key={n} className={`field-issue ${i.severity}`}>
                      {i.message}
                    </div>
                  ))}
                </td>
                <td>
                  <select className="cell-input" aria-label={`${targetHeader} of row ${index + 1}`} value={row.target} onChange={(e) => replace(index, { ...row, target: e.target.value })}>
                    {[row.target, ...unmapped.map((t) => t.name)].map((name) => (
                      <option key={name} value={name}>
                        {name}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <TransformPicker row={row} onChange={(next) => replace(index, next)} paths={sourcePaths} />
                </td>
                <td className="muted">{target?.type ?? "—"}</td>
                <td className="rules-cell">{(rules.get(row.target) ?? []).map((r) => r.summary).join(", ") || <span className="muted">—</span>}</td>
                <td>{target?.required ? <strong>Yes</strong> : "No"}</td>
                <td>
                  <button type="button" className="icon-button" aria-label={`Remove the mapping of ${row.target}`} onClick={() => onRowsChange(rows.filter((_, i) => i !== index))}>
                    ×
                  </button>
                </td>
              </tr>
            );
          })}
          {unmapped
            .filter((t) => t.required)
            .map((t) => (
              <tr key={`unmapped-${t.name}`} className="unmapped-required">
                <td className="muted">not mapped</td>
                <td className="mono">{t.name}</td>
                <td />
                <td className="muted">{t.type ?? "—"}</td>
                <td className="rules-cell">{(rules.get(t.name) ?? []).map((r) => r.summary).join(", ")}</td>
                <td>
                  <strong>Yes</strong>
                </td>
                <td />
              </tr>
            ))}
        </tbody>
        <tfoot>
          <tr>
            <td>
              <input className="cell-input mono" aria-label={`New mapping: ${sourceHeader}`} list="mapper-source-paths" placeholder="source field" value={draft.source} onChange={(e) => setDraft({ ...draft, source: e.target.value })} />
            </td>
            <td>
              <input className="cell-input mono" aria-label={`New mapping: ${targetHeader}`} list="mapper-target-names" placeholder="target field" value={draft.target} onChange={(e) => setDraft({ ...draft, target: e.target.value })} />
              <datalist id="mapper-target-names">
                {unmapped.map((t) => (
                  <option key={t.name} value={t.name} />
                ))}
              </datalist>
            </td>
            <td colSpan={5}>
              <button
                type="button"
                className="button-secondary"
                disabled={draft.source.trim() === "" || !/^[A-Za-z0-9_$]+(\.[A-Za-z0-9_$]+)*$/.test(draft.target.trim())}
                onClick={() => {
                  const row = valueToRow(draft.target.trim(), draft.source.trim());
                  onRowsChange([...rows.filter((r) => r.target !== row.target), row]);
                  setDraft({ source: "", target: "" });
                }}
              >
                Add mapping
              </button>
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
