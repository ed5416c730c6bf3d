"use client";
/** A JSON editor (Monaco with its JSON language worker: validation, folding, formatting). Client-only. */
import dynamic from "next/dynamic";
import "./monaco.css";

export interface JsonEditorProps {
  value: string;
  onChange?: (value: string) => void;
  height?: number | string;
  ariaLabel?: string;
  readOnly?: boolean;
}

export const JsonEditor = dynamic<JsonEditorProps>(() => import("./json-editor-impl"), {
  ssr: false,
  loading: () => <div className="monaco-loading">Loading editor…</div>,
});
