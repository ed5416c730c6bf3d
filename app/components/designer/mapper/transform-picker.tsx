"use client";
/** The transform of one mapping: a picker, and the few settings the chosen transform needs. */
import { useState } from "react";
import { ENTITIES } from "@/flows/erp/entities";
import { applyMode, rowFromCustomValue, rowMode, ROW_MODES, type RowMode } from "@/flows/mapper/row-modes";
import { concatSource, constantSource, describeSource, rowValue, type MappingRow } from "@/flows/mapper/model";
import { readTransform, transformText, type TransformSpec } from "@/flows/mapper/transforms";

const MASTERS = ENTITIES.filter((e) => e.kind === "master");

interface Props {
  row: MappingRow;
  onChange: (row: MappingRow) => void;
  /** Source paths offered in concatenation parts. */
  paths: string[];
}

export function TransformPicker({ row, onChange, paths }: Props) {
  const derived = rowMode(row);
  // "Custom" of a plain field reads back as "as is"; keep the text box open while the analyst writes.
  const [customOpen, setCustomOpen] = useState(false);
  const mode: RowMode = customOpen ? "custom" : derived;
  const label = `Transform for ${row.target}`;

  return (
    <div className="transform-picker">
      <select
        aria-label={label}
        data-testid={`transform-${row.target}`}
        value={mode}
        onChange={(e) => {
          const next = e.target.value as RowMode;
          setCustomOpen(next === "custom");
          onChange(applyMode(row, next));
        }}
      >
        {ROW_MODES.map((m) => (
          <option key={m.mode} value={m.mode}>
            {m.label}
          </option>
        ))}
      </select>
      <TransformSettings mode={mode} row={row} onChange={onChange} paths={paths} />
    </div>
  );
}

function TransformSettings({ mode, row, onChange, paths }: { mode: RowMode; row: MappingRow; onChange: (row: MappingRow) => void; paths: string[] }) {
  const spec = readTransform(row.transform);
  const setSpec = (patch: Partial<TransformSpec>) => {
    const transform = transformText({ ...spec, ...patch });
    onChange({ source: row.source, target: row.target, ...(transform ? { transform } : {}) });
  };
  switch (mode) {
    case "formatDate":
    case "parseDate":
      return (
        <input
          className="transform-setting"
          aria-label={`Date picture for ${row.target}`}
          value={spec.picture ?? ""}
          placeholder="DD/MM/YYYY"
          onChange={(e) => setSpec({ picture: e.target.value })}
        />
      );
    case "default":
      return (
        <input
          className="transform-setting"
          aria-label={`Default value for ${row.target}`}
          value={spec.fallback ?? ""}
          placeholder='"N/A" or 0'
          title="A JSONata literal: text in quotes, or a number"
          onChange={(e) => setSpec({ fallback: e.target.value })}
        />
      );
    case "lookup":
      return (
        <span className="transform-setting-group">
          <select aria-label={`Master for ${row.target}`} value={spec.master ?? ""} onChange={(e) => setSpec({ master: e.target.value, returnField: MASTERS.find((m) => m.name === e.target.value)?.fields[0]?.name })}>
            {MASTERS.map((m) => (
              <option key={m.name} value={m.name}>
                {m.label}
              </option>
            ))}
          </select>
          <span className="muted">→</span>
          <select aria-label={`Field of the master for ${row.target}`} value={spec.returnField ?? ""} onChange={(e) => setSpec({ returnField: e.target.value })}>
            {(MASTERS.find((m) => m.name === spec.master)?.fields ?? []).map((f) => (
              <option key={f.name} value={f.name}>
                {f.name}
              </option>
            ))}
          </select>
        </span>
      );
    case "constant": {
      const source = describeSource(row.source);
      const value = source.kind === "constant" ? source.value : "";
      return (
        <input
          className="transform-setting"
          aria-label={`Constant for ${row.target}`}
          value={value === null ? "null" : String(value)}
          onChange={(e) => {
            const text = e.target.value;
            const asNumber = Number(text);
            const typed = typeof value === "number" && text.trim() !== "" && Number.isFinite(asNumber) ? asNumber : text;
            onChange({ source: constantSource(typed), target: row.target });
          }}
        />
      );
    }
    case "concat": {
      const parts = describeSource(row.source).parts ?? [];
      const setParts = (next: typeof parts) => onChange({ source: concatSource(next.length > 0 ? next : [{ text: "" }]), target: row.target });
      return (
        <span className="concat-parts" aria-label={`Parts joined for ${row.target}`}>
          {parts.map((part, i) =>
            part.path !== undefined ? (
              <select key={i} aria-label={`Part ${i + 1} of ${row.target}`} value={part.path} onChange={(e) => setParts(parts.map((p, j) => (j === i ? { path: e.target.value } : p)))}>
                {[...new Set([part.path, ...paths])].map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            ) : (
              <input key={i} className="concat-text" aria-label={`Part ${i + 1} of ${row.target}`} value={part.text ?? ""} onChange={(e) => setParts(parts.map((p, j) => (j === i ? { text: e.target.value } : p)))} />
            ),
          )}
          <button type="button" className="link-button" onClick={() => setParts([...parts, { path: paths[0] ?? "field" }])}>
            + field
          </button>
          <button type="button" className="link-button" onClick={() => setParts([...parts, { text: " " }])}>
            + text
          </button>
        </span>
      );
    }
    case "custom":
      return (
        <input
          className="transform-setting transform-custom"
          aria-label={`JSONata for ${row.target}`}
          spellCheck={false}
          defaultValue={rowValue(row)}
          key={rowValue(row)}
          placeholder="e.g. $substring(name, 0, 10)"
          onBlur={(e) => {
            const text = e.target.value.trim();
            if (text !== "" && text !== rowValue(row)) onChange(rowFromCustomValue(row.target, text));
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter") (e.target as HTMLInputElement).blur();
          }}
        />
      );
    default:
      return null;
  }
}
