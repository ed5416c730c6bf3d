"use client";
/**
 * A plain JSON editor with the props of the designer's Monaco JsonEditor
 * (app/components/monaco/json-editor.tsx on the mapper branch), so the two can be swapped by
 * changing one import once that lands. Shows whether the text parses as you type.
 */
import { parseJson } from "./format";

export interface JsonEditorProps {
  value: string;
  onChange?: (value: string) => void;
  height?: number | string;
  ariaLabel?: string;
  readOnly?: boolean;
}

export function JsonEditor({ value, onChange, height = 260, ariaLabel, readOnly }: JsonEditorProps) {
  const parsed = value.trim() === "" ? null : parseJson(value);
  return (
    <div className="json-editor">
      <textarea
        aria-label={ariaLabel}
        value={value}
        readOnly={readOnly}
        spellCheck={false}
        style={{ height }}
        onChange={(e) => onChange?.(e.target.value)}
      />
      {parsed && !parsed.ok ? <p className="form-error">{parsed.error}</p> : null}
    </div>
  );
}
