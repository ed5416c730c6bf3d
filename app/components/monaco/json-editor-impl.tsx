"use client";
import Editor from "@monaco-editor/react";
import "./monaco-setup";
import type { JsonEditorProps } from "./json-editor";

export default function JsonEditorImpl({ value, onChange, height = 240, ariaLabel = "JSON", readOnly = false }: JsonEditorProps) {
  return (
    <div className="monaco-frame" data-testid="json-editor" data-language="json">
      <Editor
        height={height}
        language="json"
        theme="flowport"
        value={value}
        onChange={(text) => onChange?.(text ?? "")}
        loading={<div className="monaco-loading">Loading editor…</div>}
        options={{
          ariaLabel,
          readOnly,
          minimap: { enabled: false },
          fontSize: 13,
          lineNumbersMinChars: 3,
          scrollBeyondLastLine: false,
          automaticLayout: true,
          fixedOverflowWidgets: true,
          tabSize: 2,
          renderLineHighlight: "none",
          formatOnPaste: true,
        }}
      />
    </div>
  );
}
