"use client";
/**
 * A JSONata editor (Monaco, bundled locally): highlighting, completion of the sample's fields and of
 * JSONata's and Flowport's functions with signatures, parse errors marked where they are. Client-only:
 * Monaco touches `window` as it loads.
 */
import dynamic from "next/dynamic";
import type { FieldNode } from "@/flows/mapper/sample-tree";
import "./monaco.css";

export interface JsonataEditorProps {
  value: string;
  onChange?: (value: string) => void;
  height?: number | string;
  /** The sample's field tree, for completion of paths. */
  fields?: FieldNode[];
  ariaLabel?: string;
  readOnly?: boolean;
}

export const JsonataEditor = dynamic<JsonataEditorProps>(() => import("./jsonata-editor-impl"), {
  ssr: false,
  loading: () => <div className="monaco-loading">Loading editor…</div>,
});
